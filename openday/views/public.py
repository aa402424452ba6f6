"""The public open-day pages: no login, nothing personal, cacheable. The PDFs are the files
stored when the summary was published (``openday/files.py``): no public request renders one.

Only published versions (and the versions they replaced, marked so) are reachable: a draft or an
approved summary answers 404 here whatever its year. The forms (visit registration, complaints
and look-ups by code) are limited per client address and refuse robots without a CAPTCHA.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.core.files.views import file_response
from audit_portal.core.web import apply_errors
from openday import files, forms, ratelimit, selectors, services
from openday.models import Summary, SummaryEntry
from openday.views.contexts import entry_context, summary_context

MAX_AGE = 300
# A PDF not stored yet is being rendered by the worker: a poster takes seconds, the city's
# summary a minute or two.
PENDING_RETRY_SECONDS = 120


def _cacheable(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _summary(year: int, version: int | None) -> Summary:
    summary = selectors.public_summary(year, version)
    if summary is None:
        raise Http404
    return summary


def _entry(summary: Summary, institution: int) -> SummaryEntry:
    entry = selectors.public_entry(summary, institution)
    if entry is None:
        raise Http404
    return entry


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _cacheable(
        render(
            request,
            "openday/public/index.html",
            {"summaries": selectors.published_years(), "visit_years": selectors.visit_years()},
        )
    )


@require_GET
def area(request: HttpRequest, year: int, version: int | None = None) -> HttpResponse:
    summary = _summary(year, version)
    context = summary_context(summary)
    # Visits are registered for the open days that have visit days arranged: the summary's year
    # may have none (its day is past), then the button leads to the coming one, or is left out.
    visit_years = selectors.visit_years()
    coming = [visit_year for visit_year in visit_years if visit_year >= year]
    context["visit_year"] = year if year in visit_years else max(coming, default=None)
    return _cacheable(render(request, "openday/public/area.html", context))


@require_GET
def institution(
    request: HttpRequest, year: int, institution: int, version: int | None = None
) -> HttpResponse:
    summary = _summary(year, version)
    entry = _entry(summary, institution)
    return _cacheable(
        render(request, "openday/public/institution.html", entry_context(summary, entry))
    )


def _stored_pdf(request: HttpRequest, key_for) -> HttpResponse:
    """A published PDF as stored when the summary was published: nothing is rendered here, and
    nothing is queued (a public URL starts no work). Until the worker has stored it, a page
    says so and asks to come back (503 with Retry-After, not cached)."""
    stored = files.public_file(key_for)
    if stored is None:
        response = render(request, "openday/public/pdf_pending.html", status=503)
        response["Retry-After"] = str(PENDING_RETRY_SECONDS)
        add_never_cache_headers(response)
        return response
    response = file_response(stored, attachment=False)
    del response["Cache-Control"]
    return _cacheable(response)


@require_GET
def summary_pdf(request: HttpRequest, year: int, version: int | None = None) -> HttpResponse:
    summary = _summary(year, version)
    return _stored_pdf(request, lambda language: files.summary_key(summary.pk, language))


@require_GET
def poster(
    request: HttpRequest, year: int, institution: int, version: int | None = None
) -> HttpResponse:
    summary = _summary(year, version)
    entry = _entry(summary, institution)
    return _stored_pdf(
        request, lambda language: files.poster_key(summary.pk, entry.institution_id, language)
    )


# Visits ------------------------------------------------------------------------------------------


@require_GET
def visit_list(request: HttpRequest, year: int) -> HttpResponse:
    visit_days = list(selectors.public_visit_days(year))
    if not visit_days:
        raise Http404
    rows = [
        {
            "visit_day": day,
            "left": max(day.capacity - day.booked, 0),
            "open": services.registration_is_open(day),
        }
        for day in visit_days
    ]
    return _cacheable(
        render(
            request,
            "openday/public/visit_list.html",
            {"year": year, "rows": rows, "date": visit_days[0].date},
        )
    )


def _too_many(form) -> None:
    form.add_error(None, _("Too many attempts from your network. Please try again later."))


@require_http_methods(["GET", "POST"])
def visit_register(request: HttpRequest, year: int, institution: int) -> HttpResponse:
    visit_day = selectors.public_visit_day(year, institution)
    if visit_day is None:
        raise Http404
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.submission_allowed(request, "register"):
            _too_many(form)
        else:
            try:
                registration = services.registration_create(
                    visit_day=visit_day,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    party_size=form.cleaned_data["party_size"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return render(
                    request,
                    "openday/public/visit_done.html",
                    {"registration": registration, "visit_day": visit_day},
                )
    return render(
        request,
        "openday/public/visit_form.html",
        {
            "form": form,
            "visit_day": visit_day,
            "left": max(visit_day.capacity - visit_day.booked, 0),
            "open": services.registration_is_open(visit_day),
        },
    )


@require_http_methods(["GET", "POST"])
def visit_lookup(request: HttpRequest) -> HttpResponse:
    form = forms.LookupForm(request.POST or None)
    registration = None
    if request.method == "POST" and form.is_valid():
        if not ratelimit.lookup_allowed(request, "visit-lookup"):
            _too_many(form)
        else:
            registration = selectors.registration_by_code(
                form.cleaned_data["code"], form.cleaned_data["phone"]
            )
            if registration is None:
                form.add_error(None, _("No registration has this code and phone number."))
    return render(
        request,
        "openday/public/visit_lookup.html",
        {
            "form": form,
            "registration": registration,
            "cancel_form": forms.LookupForm(
                initial={"code": registration.code, "phone": registration.phone}
            )
            if registration and registration.is_cancellable
            else None,
        },
    )


@require_POST
def visit_cancel(request: HttpRequest) -> HttpResponse:
    form = forms.LookupForm(request.POST)
    registration = None
    if form.is_valid():
        if not ratelimit.lookup_allowed(request, "visit-lookup"):
            _too_many(form)
        else:
            registration = selectors.registration_by_code(
                form.cleaned_data["code"], form.cleaned_data["phone"]
            )
            if registration is None:
                form.add_error(None, _("No registration has this code and phone number."))
            else:
                try:
                    registration = services.registration_cancel(registration=registration)
                except ValidationError as error:
                    apply_errors(form, error)
    return render(
        request,
        "openday/public/visit_lookup.html",
        {"form": form, "registration": registration, "cancelled": registration is not None},
    )


# Complaints --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def complaint_submit(request: HttpRequest, institution: int) -> HttpResponse:
    target = selectors.public_institution(institution)
    if target is None:
        raise Http404
    form = forms.ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.submission_allowed(request, "complaint"):
            _too_many(form)
        else:
            data = form.cleaned_data
            try:
                complaint = services.complaint_submit(
                    institution=target,
                    kind=data["kind"],
                    text=data["text"],
                    name=data["name"],
                    phone=data["phone"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return render(
                    request, "openday/public/complaint_done.html", {"complaint": complaint}
                )
    return render(
        request, "openday/public/complaint_form.html", {"form": form, "institution": target}
    )


@require_http_methods(["GET", "POST"])
def complaint_status(request: HttpRequest) -> HttpResponse:
    form = forms.StatusForm(request.POST or None)
    complaint = None
    if request.method == "POST" and form.is_valid():
        if not ratelimit.lookup_allowed(request, "complaint-status"):
            _too_many(form)
        else:
            complaint = selectors.complaint_by_code(form.cleaned_data["code"])
            if complaint is None:
                form.add_error("code", _("No complaint has this code."))
    return render(
        request, "openday/public/complaint_status.html", {"form": form, "complaint": complaint}
    )
