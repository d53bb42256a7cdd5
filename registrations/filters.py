"""Query-string filters of an event's registrations, for its organizers (API, organizer area)."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .enums import RegistrationStatus, SessionChoiceStatus
from .models import Registration, SessionChoice


class RegistrationFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=RegistrationStatus.choices)
    session = django_filters.NumberFilter(
        method="filter_session", label=_("Holding or waiting for a seat in this session (id)")
    )
    checked_in = django_filters.BooleanFilter(method="filter_checked_in",
                                              label=_("Checked in"))
    search = django_filters.CharFilter(method="filter_search", max_length=200,
                                       label=_("Name, email or organization"))

    class Meta:
        model = Registration
        fields: list[str] = []

    def filter_session(self, qs: QuerySet, name: str, value) -> QuerySet:
        choices = SessionChoice.objects.filter(
            registration_id=OuterRef("pk"), session_id=value,
            status__in=(SessionChoiceStatus.CONFIRMED, SessionChoiceStatus.WAITLISTED,
                        SessionChoiceStatus.REQUESTED),
        )
        return qs.filter(Exists(choices))

    def filter_checked_in(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(checked_in_at__isnull=not value)

    def filter_search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        for term in value.split()[:10]:
            qs = qs.filter(Q(name__icontains=term) | Q(email__icontains=term)
                           | Q(organization__icontains=term))
        return qs
