"""The glue every page needs, written once.

- ``apply_errors``: a service's refusal (``ValidationError``) shown on the form, each message
  under the field it concerns.
- ``errors_to_messages``: a refusal of a one-click step (a POST from a button) shown as messages
  on the page the user returns to.
- ``step``: a one-click step (a POST from a button) run, answered by messages.
- ``require_perm``: a role permission the user lacks answers 403 (the object was found in the
  user's scope first, so an outsider has already had a 404).
- ``list_page``: a list filtered by a django-filter ``FilterSet`` and paginated in SQL, with the
  query string the page links keep (``includes/pagination.html``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest

PAGE_SIZE = 25


def apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def step(request: HttpRequest, run, success: str) -> bool:
    """A one-click step (a POST from a button): ``run()`` the service; its refusal becomes
    messages on the page the user returns to, its success the ``success`` message."""
    try:
        run()
    except ValidationError as error:
        errors_to_messages(request, error)
        return False
    messages.success(request, success)
    return True


def require_perm(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def query_without_page(request: HttpRequest) -> str:
    """The current query string without its page number: the filters the page links keep."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    per_page: int | None = None,
    *,
    count: int | None = None,
) -> Page:
    """One page of ``queryset`` (LIMIT/OFFSET in SQL); an out-of-range page shows the last.
    ``count``: the number of rows when the page has already counted them (saves a COUNT)."""
    paginator = Paginator(queryset, per_page or PAGE_SIZE)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


def list_page(
    request: HttpRequest,
    queryset: QuerySet,
    filterset_class=None,
    *,
    per_page: int | None = None,
    **filterset_kwargs,
) -> dict:
    """The context of a filtered, paginated list: ``filter`` and ``form`` (when a FilterSet is
    given), ``page``, ``query`` (the filters, for the page links) and ``filtered`` (the whole
    filtered queryset, for counts and exports)."""
    context: dict = {}
    if filterset_class is not None:
        filterset = filterset_class(
            request.GET or None, queryset=queryset, request=request, **filterset_kwargs
        )
        queryset = filterset.qs
        context.update(filter=filterset, form=filterset.form)
    context.update(
        page=paginate(request, queryset, per_page),
        query=query_without_page(request),
        filtered=queryset,
    )
    return context


def private_file(
    file, *, filename: str, content_type: str, attachment: bool = True
) -> FileResponse:
    """A stored file sent to the one user allowed it: never cached, never sniffed."""
    response = FileResponse(
        file.open("rb"), as_attachment=attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
