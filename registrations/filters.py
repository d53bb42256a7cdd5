"""Filters of an event's attendee list, shared by the organizer pages and their exports."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agenda.filters import TrueOrFalseFilter, WholeNumberFilter
from agenda.models import MAX_ID, Event, Session

from .enums import RegistrationStatus, SessionChoiceStatus
from .models import Registration, SessionChoice


class AttendeeFilter(django_filters.FilterSet):
    """Search (name, email, organization), status, session (seated or waitlisted in it) and
    checked in. ``event`` limits the sessions offered, and accepted, to that event's."""

    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"),
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Name, email or organization"),
    )
    status = django_filters.ChoiceFilter(
        choices=RegistrationStatus.choices, label=_("Status"), empty_label=_("Any status"),
    )
    session = django_filters.ModelChoiceFilter(
        queryset=Session.objects.none(), method="filter_session", label=_("Session"),
        empty_label=_("Any session"),
    )
    checked_in = django_filters.ChoiceFilter(
        choices=(("yes", _("Checked in")), ("no", _("Not checked in"))),
        method="filter_checked_in", label=_("Check-in"), empty_label=_("Either"),
    )

    class Meta:
        model = Registration
        fields = ("q", "status", "session", "checked_in")

    def __init__(self, data=None, queryset=None, *, event: Event, **kwargs) -> None:
        super().__init__(data, queryset, **kwargs)
        self.filters["session"].queryset = (
            Session.objects.filter(event=event).select_related("event").order_by("start", "title")
        )
        field = self.form.fields["session"]
        field.queryset = self.filters["session"].queryset
        field.label_from_instance = session_label

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(email__icontains=value)
            | Q(organization__icontains=value)
        )

    def filter_session(self, queryset: QuerySet, name: str, value: Session | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(
            session_choices__session=value,
            session_choices__status__in=(SessionChoiceStatus.CONFIRMED,
                                         SessionChoiceStatus.WAITLISTED),
        )  # one choice per registration and session: no duplicates to remove

    def filter_checked_in(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "yes":
            return queryset.filter(checked_in_at__isnull=False)
        if value == "no":
            return queryset.filter(checked_in_at__isnull=True)
        return queryset


def session_label(session: Session) -> str:
    """A session as the event's own lists name it (its title and local start), without
    reading the event again for each."""
    start = session.start.astimezone(session.event.tzinfo) if session.event_id else session.start
    return f"{session.title} ({start:%d/%m %H:%M})"



class RegistrationFilter(django_filters.FilterSet):
    """The API's filters of an event's registrations (its list and its exports). A value of the
    wrong type is a 400 naming the parameter, never a filter silently left out or a 500."""

    status = django_filters.MultipleChoiceFilter(choices=RegistrationStatus.choices)
    session = WholeNumberFilter(
        max_value=MAX_ID, method="filter_session",
        label=_("Holding or waiting for a seat in this session (id)"),
    )
    checked_in = TrueOrFalseFilter(method="filter_checked_in", label=_("Checked in"))
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
