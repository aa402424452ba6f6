"""The open day's PDFs, built by the worker (``audit_portal/core/files``).

A published summary's PDF and each institution's poster are rendered once, when the summary is
published (and again when a correction replaces it, when the institution's visits change, or when
staff ask), in every language of the site, and stored; the public pages only serve the stored
files (``public_file``) and never render anything. The staff preview of a summary is a file the
staff member asks for and downloads from their files.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from audit_portal.core.files.registry import BuildRefused, Output
from audit_portal.core.files.runner import Progress
from audit_portal.core.files.selectors import published_counts, published_file
from audit_portal.core.files.services import file_publish, file_request
from audit_portal.core.models import GeneratedFile
from audit_portal.core.pdf import render_pdf
from openday import selectors
from openday.models import Summary
from openday.policies import summary_policy
from openday.views.contexts import entry_context, pdf_summary_context

SUMMARY_KIND = "openday.summary_pdf"
POSTER_KIND = "openday.poster_pdf"
PREVIEW_KIND = "openday.preview_pdf"
PDF = "application/pdf"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def summary_key(summary_id: int, language: str) -> str:
    return f"openday:{summary_id}:summary:{language}"


def poster_key(summary_id: int, institution_id: int, language: str) -> str:
    return f"openday:{summary_id}:poster:{institution_id}:{language}"


# Public files ----------------------------------------------------------------------------------


def public_file(key_for: Callable[[str], str]) -> GeneratedFile | None:
    """The stored file in the visitor's language, else in the site's first language; None
    while neither is ready."""
    wanted = dict.fromkeys([translation.get_language(), settings.LANGUAGE_CODE])
    for language in wanted:
        if language and (found := published_file(key_for(language))):
            return found
    return None


def publish_files(
    summary: Summary,
    *,
    requested_by=None,
    summary_pdf: bool = True,
    institutions: Iterable[int] | None = None,
    missing_only: bool = False,
) -> int:
    """Queue the builds of a public summary's files: its PDF (``summary_pdf``) and the posters
    of ``institutions`` (all its institutions when None; none for an empty list); with
    ``missing_only``, only the files not stored yet. Returns the number of files asked for."""
    entries = summary.entries.order_by("pk")
    if institutions is not None:
        entries = entries.filter(institution_id__in=list(institutions))
    posters = list(entries.values_list("institution_id", "name"))
    count = 0
    for language in languages():
        with translation.override(language):
            key = summary_key(summary.pk, language)
            if summary_pdf and not (missing_only and published_file(key)):
                file_publish(
                    kind=SUMMARY_KIND,
                    key=key,
                    title=_("Open day %(year)d, version %(v)d: summary (PDF)")
                    % {"year": summary.year, "v": summary.version},
                    parameters={"summary": summary.pk},
                    language=language,
                    requested_by=requested_by,
                )
                count += 1
            for institution_id, name in posters:
                key = poster_key(summary.pk, institution_id, language)
                if missing_only and published_file(key):
                    continue
                file_publish(
                    kind=POSTER_KIND,
                    key=key,
                    title=_("Open day %(year)d, version %(v)d: poster of %(name)s (PDF)")
                    % {"year": summary.year, "v": summary.version, "name": name},
                    parameters={"summary": summary.pk, "institution": institution_id},
                    language=language,
                    requested_by=requested_by,
                )
                count += 1
    return count


def render_on_commit(summary: Summary, actor, *, posters: bool = True) -> None:
    """Once the transaction commits, have the worker render a public summary's files (its PDF,
    and its posters unless ``posters`` is false)."""
    from openday.tasks import render_public_files

    pk, actor_id = summary.pk, actor.pk if actor else None
    institutions = None if posters else []
    transaction.on_commit(
        lambda: render_public_files.enqueue(pk, actor_id, institutions=institutions)
    )


def render_poster_on_commit(year: int, institution, actor) -> None:
    """An institution's visits changed: its poster in the year's published summary gives their
    time and place, so it is rendered again."""
    from openday.tasks import render_posters_of_year

    pk, actor_id = institution.pk, actor.pk if actor else None
    transaction.on_commit(lambda: render_posters_of_year.enqueue(year, pk, actor_id))


@transaction.atomic
def summary_render_files(*, summary: Summary, actor) -> Summary:
    """Render a public summary's PDF and posters again (after a template change, for a summary
    published before the files were stored, or after a failure); the current files stay served
    until the new ones are ready."""
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    summary_policy.require("render_files", actor, summary)
    render_on_commit(summary, actor)
    return summary


def public_files_status(summary: Summary) -> dict[str, int]:
    """How many of a public summary's files are ready, being built, or failed, of how many."""
    counts = published_counts(f"openday:{summary.pk}:")
    counts["expected"] = (1 + summary.entries.count()) * len(languages())
    return counts


# Staff preview ---------------------------------------------------------------------------------


def preview_request(*, summary: Summary, user) -> GeneratedFile:
    """Ask the worker for the PDF of a summary as the public will get it (watermarked while
    not published), for ``user``."""
    return file_request(
        owner=user,
        kind=PREVIEW_KIND,
        title=_("Open day %(year)d, version %(v)d: PDF preview")
        % {"year": summary.year, "v": summary.version},
        parameters={"summary": summary.pk},
        criteria=[(_("Status"), summary.get_status_display())],
    )


# Builders --------------------------------------------------------------------------------------


def _public_summary(job: GeneratedFile) -> Summary:
    summary = Summary.objects.filter(pk=job.parameters["summary"], status__in=Summary.PUBLIC)
    found = summary.first()
    if found is None:
        raise BuildRefused(_("This summary is not public."))
    return found


def build_summary_pdf(job: GeneratedFile, progress: Progress) -> Output:
    summary = _public_summary(job)
    progress.start(1)
    # Published in each of the site's languages: the job's (see ``publish_files``).
    pdf = render_pdf(
        "openday/pdf/summary.html",
        pdf_summary_context(summary),
        language=translation.get_language(),
    )
    progress.advance()
    return Output(f"open-day-{summary.year}-v{summary.version}.pdf", PDF, pdf)


def build_poster(job: GeneratedFile, progress: Progress) -> Output:
    summary = _public_summary(job)
    institution = job.parameters["institution"]
    entry = selectors.public_entry(summary, institution)
    if entry is None:
        raise BuildRefused(_("This institution is not in the summary."))
    progress.start(1)
    public_url = settings.SITE_URL + reverse(
        "openday:institution", kwargs={"year": summary.year, "institution": institution}
    )
    context = {**entry_context(summary, entry), "public_url": public_url}
    pdf = render_pdf("openday/pdf/poster.html", context, language=translation.get_language())
    progress.advance()
    return Output(f"open-day-{summary.year}-poster-{institution}.pdf", PDF, pdf)


def build_preview(job: GeneratedFile, progress: Progress) -> Output:
    user = job.owner
    summary = selectors.summaries_for(user).filter(pk=job.parameters["summary"]).first()
    if summary is None or not summary_policy.allows("preview", user, summary):
        raise BuildRefused(_("You may no longer read this summary."))
    progress.start(1)
    context = pdf_summary_context(summary)
    context["preview"] = not summary.is_public
    # As the public will get it, in the language of the staff member who asked.
    pdf = render_pdf("openday/pdf/summary.html", context, language=translation.get_language())
    progress.advance()
    return Output(f"open-day-{summary.year}-v{summary.version}-preview.pdf", PDF, pdf)
