"""The API's filter backend; the filters themselves are shared and live in ``agenda.filters``
(re-exported here for the API's views)."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from agenda.filters import (  # noqa: F401
    CalendarDateField,
    DateOrDateTimeField,
    DayFilter,
    EventFilter,
    MomentFilter,
    SessionFilter,
)


class StrictFilterBackend(DjangoFilterBackend):
    """Refuses query parameters it does not know, so a typo never silently returns everything."""

    always_allowed = frozenset({"page", "page_size"})

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(self.always_allowed)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError(
                {
                    name: [
                        _("Unknown query parameter. Use one of: %(known)s.")
                        % {"known": ", ".join(sorted(known))}
                    ]
                    for name in unknown
                }
            )
        return super().filter_queryset(request, queryset, view)
