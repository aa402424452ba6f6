"""What several inspections pages show alike."""

from itertools import groupby

from inspections.models import ItemResult


def results_by_area(results: list[ItemResult]) -> list[tuple[str, list[ItemResult]]]:
    """Checklist rows grouped by area, in checklist order (the checklist editor passes its
    items, which carry themselves as ``item``)."""
    results = sorted(results, key=lambda row: (row.item.position, row.item.pk))
    grouped = {}
    for area, rows in groupby(results, key=lambda row: row.item.get_area_display()):
        grouped.setdefault(area, []).extend(rows)
    return list(grouped.items())
