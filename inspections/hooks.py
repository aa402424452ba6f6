"""Questions the inspections app asks of the apps built on it, without importing them.

``inspections`` is the lowest domain app: the registry of institutions, inspections, issues and
monthly reports. ``supervisors`` and ``incidents`` import it, never the reverse (the layers
contract in ``pyproject.toml``, checked by ``lint-imports``). Where inspections needs an answer
only one of them can give, that app answers the question here when it loads (in its
``AppConfig.ready``), as the owners of evidence files register with ``evidence.register_owner``.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured


class Question:
    """A question asked here and answered by an app above: ``question.answer_with(function)`` in
    that app's ``ready()``; ``question(...)`` calls the answer."""

    def __init__(self, name: str, meaning: str):
        self.name = name
        self.__doc__ = meaning
        self._answer: Callable | None = None

    def answer_with(self, function: Callable) -> Callable:
        self._answer = function
        return function

    def __call__(self, *args, **kwargs):
        if self._answer is None:
            raise ImproperlyConfigured(f"No installed app answers {self.name!r}.")
        return self._answer(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Question {self.name}>"


# Answered by the supervisors app (assignments, terms and undertakings decide).
supervised_institutions = Question(
    "supervised_institutions",
    "(user, institutions) → the institutions among them the supervisor may see today.",
)
assigned_supervisor_users = Question(
    "assigned_supervisor_users",
    "(institution) → the accounts of the supervisors assigned to it today.",
)
group_supervisor_users = Question(
    "group_supervisor_users",
    "(group_ids) → the accounts of the current members of those supervision groups.",
)
supervisors_not_on_team = Question(
    "supervisors_not_on_team",
    "(institution) → [{'name', 'reason'}] the current members of the groups assigned to it who "
    "cannot join an inspection team today, and why (no account, no term, no undertaking).",
)
supervisors_working_at = Question(
    "supervisors_working_at",
    "(institution_ids, day) → {institution_id: {user ids of the supervisors working there on "
    "day}}, for the daily reminders: every institution's supervisors in two queries.",
)

# Answered by the incidents app (the incident records decide).
incident_figures = Question(
    "incident_figures",
    "(institution_ids, months) → {(institution_id, month): {'deaths': n, 'missing': n}} from "
    "the incidents that happened in each month, for the monthly reports' consistency checks.",
)
with_incident_rates = Question(
    "with_incident_rates",
    "(institutions, start, end) → the queryset annotated with residents, incident_count, "
    "death_count, incident_rate and death_rate for [start, end), for the risk dashboard.",
)
incidents_by_kind_per_month = Question(
    "incidents_by_kind_per_month",
    "(user, months, on) → incidents in the user's scope per month and kind, for the dashboard.",
)
incident_kinds = Question("incident_kinds", "() → the kinds of incident, in display order.")

# Answered by the residents app (the resident records decide).
resident_figures = Question(
    "resident_figures",
    "(institution_ids, months) → {(institution_id, month): {category: {figure: n}}} from the "
    "resident records, for the institutions with residents on record by the month's end (start, "
    "admitted, discharged, died, missing, end, long_stay), to pre-fill and check the reports.",
)
residents_in_care = Question(
    "residents_in_care",
    "(agreement_id) → the residents in care on record now under the agreement, counted with a "
    "placement against the agreed places.",
)
inspection_links = Question(
    "inspection_links",
    "(user, inspection) → [(label, url)]: pages of other apps about the inspection (the "
    "residents seen on a monthly visit), linked from its page.",
)
