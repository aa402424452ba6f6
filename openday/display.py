"""Turns a snapshot's stored figures into labelled rows for the pages and PDFs.

Public output masks the counts that could point at a person (``figures.SENSITIVE``) when they
are above zero and below the threshold frozen with the snapshot: "fewer than 3". Staff see the
exact counts while they review.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from incidents.grading import Grade
from incidents.models import Kind as IncidentKind
from inspections.models import Area, Inspection, Institution, Issue, ResidentCategory
from openday.figures import SENSITIVE, share


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    note: str = ""


class Presenter:
    def __init__(self, *, threshold: int, public: bool) -> None:
        self.threshold = threshold
        self.public = public

    def count(self, name: str, value: int) -> str:
        if self.public and name in SENSITIVE and 0 < value < self.threshold:
            return _("fewer than %(n)d") % {"n": self.threshold}
        return f"{value:,}"

    @staticmethod
    def percent(part: int, whole: int) -> str:
        value = share(part, whole)
        return "—" if value is None else f"{value:g}%"

    def present(self, figures: dict) -> dict:
        f = figures
        return {
            "headline": self.headline(f),
            "places": [
                Figure(_("Beds"), self.count("beds", f["beds"])),
                Figure(
                    _("Agreed places under custody agreements"), self.count("", f["agreed_places"])
                ),
                Figure(
                    _("Residents placed in the period"),
                    self.count("residents_placed", f["residents_placed"]),
                ),
                Figure(
                    _("Residents admitted in the period (monthly reports)"),
                    self.count("residents_admitted", f.get("residents_admitted", 0)),
                ),
                Figure(
                    _("Residents in care at the end of the period (monthly reports)"),
                    self.count("residents_in_care", f.get("residents_in_care", 0)),
                ),
            ],
            "residents": self._breakdown(
                "residents_by_category", f["residents_by_category"], ResidentCategory
            ),
            "inspections": self._breakdown(
                "inspections_by_kind", f["inspections_by_kind"], Inspection.Kind
            ),
            "issues": self.issue_table(f),
            "incidents_by_kind": self._breakdown(
                "incidents_by_kind", f["incidents_by_kind"], IncidentKind
            ),
            "incidents_by_grade": [
                Figure(str(Grade(int(key)).label), self.count("incidents_by_grade", value))
                for key, value in sorted(f["incidents_by_grade"].items(), key=lambda kv: int(kv[0]))
            ],
            "incidents": [
                Figure(_("Incidents"), self.count("incidents", f["incidents"])),
                Figure(_("Deaths"), self.count("deaths", f["deaths"])),
            ],
            "supervision": [
                Figure(
                    _("Supervisor visits and inspections with supervisors"),
                    self.count("", f["supervisor_visits"]),
                ),
                Figure(_("Issues raised by supervisors"), self.count("", f["supervisor_issues"])),
                Figure(
                    _("Public complaints forwarded by supervisors"),
                    self.count("", f["complaints_forwarded"]),
                ),
                Figure(_("Suggestions made by supervisors"), self.count("", f["suggestions"])),
            ],
        }

    def headline(self, f: dict) -> list[Figure]:
        return [
            Figure(_("Inspections held"), self.count("inspections", f["inspections"])),
            Figure(_("Issues found"), self.count("issues", f["issues"])),
            Figure(
                _("Rectified"),
                self.percent(f["rectified"], f["issues"]),
                _("%(n)s of %(total)s") % {"n": f["rectified"], "total": f["issues"]},
            ),
            Figure(
                _("Rectified on time"),
                self.percent(f["rectified_on_time"], f["issues"]),
                _("%(n)s of %(total)s") % {"n": f["rectified_on_time"], "total": f["issues"]},
            ),
            Figure(_("Incidents"), self.count("incidents", f["incidents"])),
            Figure(_("Supervisor visits"), self.count("", f["supervisor_visits"])),
        ]

    def _breakdown(self, name: str, values: dict, choices) -> list[Figure]:
        return [
            Figure(str(choice.label), self.count(name, values[choice.value]))
            for choice in choices
            if values.get(choice.value)
        ]

    def issue_table(self, f: dict) -> dict:
        severities = list(Issue.Severity)
        rows = []
        for area in Area:
            by_severity = f["issues_by_area"].get(area.value, {})
            counts = [by_severity.get(s.value, 0) for s in severities]
            rows.append({"label": str(area.label), "counts": counts, "total": sum(counts)})
        totals = [f["issues_by_severity"].get(s.value, 0) for s in severities]
        return {
            "severities": [str(s.label) for s in severities],
            "rows": rows,
            "totals": totals,
            "total": f["issues"],
        }


def kind_label(kind: str) -> str:
    try:
        return str(Institution.Kind(kind).label)
    except ValueError:
        return kind


def area_extra(area: dict, presenter: Presenter) -> list[Figure]:
    return [
        Figure(_("Custody institutions"), presenter.count("", area.get("institutions", 0))),
        Figure(
            _("Invited supervisors serving in the period"),
            presenter.count("", area.get("supervisors", 0)),
        ),
    ]
