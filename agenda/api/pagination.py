from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from agenda.filters import whole_number

from .filters import check_single_values


class StrictPageSizeMixin:
    """``page_size`` from 1 to ``max_page_size`` or a 400: DRF's own silently takes the
    default for 0 or a word, and the maximum for more, so a client never learns its mistake."""

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        value = whole_number(raw)
        if value is None or not 1 <= value <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [
                _("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            ]})
        return value

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            elif parameter["name"] == getattr(self, "page_query_param", None):
                parameter["schema"]["minimum"] = 1
        return parameters


class PageNumberPagination(StrictPageSizeMixin, pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        # ``page`` and ``page_size`` once each, never empty: a 400 rather than a guess.
        check_single_values(
            request.query_params, names=(self.page_query_param, self.page_size_query_param)
        )
        return super().paginate_queryset(queryset, request, view)

    def get_page_number(self, request, paginator):
        """A whole number from 1 (or DRF's ``last``), else a 400: Django's paginator reads
        " 2" and "+2" as page 2 and refuses "2.0" and "٢" as if the page did not exist. A
        page past the last is still DRF's 404."""
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        number = whole_number(raw)
        if number is None or number < 1:
            raise ValidationError({self.page_query_param: [
                _("Give a page number: a whole number from 1.")
            ]})
        return number
