"""Background work: a published summary's PDFs are rendered and stored, one build per file
(``openday/files.py``). (A new public complaint reaches its people through the notifications:
``openday/events.py``.)"""

from django_tasks import task

from audit_portal.accounts.models import User


@task(priority=-10)
def render_public_files(
    summary_id: int,
    requested_by_id: int | None = None,
    summary_pdf: bool = True,
    institutions: list[int] | None = None,
) -> int:
    """Queue the builds of a public summary's files (see ``files.publish_files``); nothing for
    a summary that is not public. Returns the number of files asked for."""
    from openday import files
    from openday.models import Summary

    summary = Summary.objects.filter(pk=summary_id, status__in=Summary.PUBLIC).first()
    if summary is None:
        return 0
    requested_by = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    return files.publish_files(
        summary, requested_by=requested_by, summary_pdf=summary_pdf, institutions=institutions
    )


@task(priority=-10)
def render_posters_of_year(year: int, institution_id: int, requested_by_id: int | None) -> int:
    """An institution's visits changed: its poster in the year's published summary says when
    and where, so it is rendered again."""
    from openday.models import Summary

    summary = Summary.objects.filter(year=year, status=Summary.Status.PUBLISHED).first()
    if summary is None:
        return 0
    return render_public_files.call(
        summary.pk, requested_by_id, summary_pdf=False, institutions=[institution_id]
    )
