"""What the open day's documents show: the context of the public summary, of one institution's
entry and of the summary PDF, used by the public pages and the staff preview alike."""

from openday import selectors
from openday.display import Presenter, area_extra, kind_label
from openday.models import Summary, SummaryEntry


def public_presenter(summary: Summary) -> Presenter:
    return Presenter(threshold=summary.small_count_threshold, public=True)


def summary_context(summary: Summary) -> dict:
    presenter = public_presenter(summary)
    entries = [
        {
            "entry": entry,
            "kind": kind_label(entry.kind),
            "headline": presenter.headline(entry.figures),
        }
        for entry in summary.entries.all()
    ]
    current = summary if summary.status == Summary.Status.PUBLISHED else None
    if current is None:
        current = selectors.public_summary(summary.year)
    return {
        "summary": summary,
        "current": current,
        "figures": presenter.present(summary.area),
        "extra": area_extra(summary.area, presenter),
        "entries": entries,
        "versions": selectors.public_versions(summary.year),
    }


def entry_context(summary: Summary, entry: SummaryEntry) -> dict:
    return {
        "summary": summary,
        "current": summary
        if summary.status == Summary.Status.PUBLISHED
        else selectors.public_summary(summary.year),
        "entry": entry,
        "kind": kind_label(entry.kind),
        "figures": public_presenter(summary).present(entry.figures),
        "visit_day": selectors.public_visit_day(summary.year, entry.institution_id),
    }


def pdf_summary_context(summary: Summary) -> dict:
    context = summary_context(summary)
    presenter = public_presenter(summary)
    context["details"] = [
        {
            "entry": row["entry"],
            "kind": row["kind"],
            "figures": presenter.present(row["entry"].figures),
        }
        for row in context["entries"]
    ]
    return context
