from rest_framework import pagination

from .filters import check_single_values


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        # ``page`` and ``page_size`` once each, never empty: a 400 rather than a guess.
        check_single_values(
            request.query_params, names=(self.page_query_param, self.page_size_query_param)
        )
        return super().paginate_queryset(queryset, request, view)
