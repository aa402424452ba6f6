from rest_framework.pagination import PageNumberPagination

from audit_portal.core.web import PAGE_SIZE


class Pages(PageNumberPagination):
    """``?page=N`` (and ``?page_size=`` up to 100): LIMIT/OFFSET in SQL, as the pages."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 100
