"""The API's filter backend; the filters themselves are shared and live in ``agenda.filters``
(re-exported here for the API's views)."""

from collections.abc import Iterable

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from agenda.filters import (  # noqa: F401
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
        repeatable = {
            name for name, declared in (filterset_class.base_filters if filterset_class else {})
            .items() if isinstance(declared, django_filters.MultipleChoiceFilter)
        }
        check_single_values(request.query_params, repeatable=repeatable)
        asked = set(request.query_params) - self.always_allowed
        if filterset_class is None or not asked:
            # No filter asked for: every filter of ours leaves the rows alone on no value, and
            # the checks above already refused what is unknown, repeated or empty, so building
            # and validating the FilterSet's form would only cost time (a tenth of a list).
            return queryset
        return super().filter_queryset(request, queryset, view)


def check_single_values(
    query_params, *, names: Iterable[str] | None = None, repeatable: Iterable[str] = ()
) -> None:
    """Refuse a parameter (of ``names``; default: all) given empty (``?starts_before=``) or
    more than once (unless it is ``repeatable``, like ``kind``): it would otherwise be
    ignored, or one of its values silently chosen."""
    errors = {}
    for name in query_params if names is None else names:
        if name not in query_params:
            continue
        values = query_params.getlist(name)
        if any(value.strip() == "" for value in values):
            errors[name] = [_("Give a value, or leave the parameter out.")]
        elif len(values) > 1 and name not in set(repeatable):
            errors[name] = [_("Give this parameter once.")]
    if errors:
        raise ValidationError(errors)
