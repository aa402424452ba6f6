"""The rule numbers of the domain, in one place.

Every number below comes from the policy texts (see ``../shared/DOMAIN.md``) and is a default an
area may set differently: deployments override any of them with the ``AUDIT_RULES`` environment
variable (a JSON object), tests with ``override_settings(AUDIT_RULES_OVERRIDES=...)``. Code reads
them through :func:`rules`, never as literals.
"""

import dataclasses
import json
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed


@dataclasses.dataclass(frozen=True)
class Rules:
    # §1 qualifications: "正常运营达一年以上" — one year or more, the anniversary counting.
    min_operation_years: int = 1
    # Expiry warnings shown to staff before a document lapses; the longest is also how far
    # ahead the institution list's "documents expiring" filter looks.
    expiry_warning_days: tuple[int, ...] = (60, 30)
    # §4 supervisors.
    supervisor_max_age_at_invitation: int = 60
    supervisor_term_years: int = 5
    supervisor_max_consecutive_terms: int = 2
    supervisor_group_min: int = 3
    supervisor_group_max: int = 5
    # Staff are warned this many days before a supervisor's term reaches its last day.
    supervisor_term_warning_days: int = 90
    # "连任": a new term starting this many days or more after the previous one ended is not
    # consecutive (the two-term count starts again).
    supervisor_term_break_days: int = 1
    # §5 incidents: "1小时内" is within 60 minutes inclusive.
    incident_initial_report_minutes: int = 60
    missing_person_police_minutes: int = 60
    # Order 493: within 30 days of the incident (7 for a fire) a change in casualties demands a
    # supplementary report; it is not the final report's deadline.
    incident_followup_days: int = 30
    incident_followup_days_fire: int = 7
    # Order 493 逐级上报: each level forwards a report upward within 2 hours of receiving it; a
    # supplementary report is due within the same time of a change in casualties being recorded.
    incident_forwarding_minutes: int = 120
    # Seed 003: the final report comes once the situation is over (事态平息后); it is due this
    # many working days after the incident is declared over.
    incident_final_report_workdays: int = 5
    # Seed 003: the unit head reports within the same hour to the relevant safety regulators, as
    # the kind of incident requires (the police are owed through the police record instead).
    incident_regulators: dict = dataclasses.field(
        default_factory=lambda: {
            "fire": ("fire_rescue", "emergency_management"),
            "food_safety": ("market_supervision", "health"),
            "health": ("health",),
            "injury": (),
            "death": (),
            "missing": (),
            "abuse": (),
            "other": (),
        }
    )
    # Grade bounds (State Council Order 493), each the inclusive lower bound of 较大, 重大 and
    # 特别重大: deaths, serious injuries, direct loss in yuan.
    incident_grade_deaths: tuple[int, ...] = (3, 10, 30)
    incident_grade_serious_injuries: tuple[int, ...] = (10, 50, 100)
    incident_grade_direct_loss_cny: tuple[int, ...] = (10_000_000, 50_000_000, 100_000_000)
    # Quarterly rates per 100 residents at or above which an institution is flagged.
    incident_rate_threshold_per_100: float = 5.0
    incident_death_rate_threshold_per_100: float = 1.0
    # §2 rectification: default working days to fix an issue, by severity (general, serious,
    # major hazard); a critical checklist item fails as at least "serious".
    rectification_days_general: int = 20
    rectification_days_serious: int = 10
    rectification_days_major: int = 3
    # Working days the institution has to comment on a draft report's facts.
    inspection_comment_days: int = 3
    # Issues due within this many calendar days are flagged "due soon".
    issue_due_soon_days: int = 7
    # §2 "每月到托养机构探视": visits expected per active agreement per calendar month.
    monthly_visits_per_agreement: int = 1
    # §3 monthly reports: due on the last day of the month unless an area sets a day.
    monthly_report_due_day: int | None = None
    # Residents staying over 3 months need identity search and settlement ("超过" excludes 3).
    long_stay_months: int = 3
    # How the stay is counted against ``long_stay_months``: "over" (seed 001 "超过3个月": the day
    # the months complete does not count, the stay is long from the next day) or "full" (seed 003
    # "入站满三个月": long on the day the months complete).
    long_stay_counting: str = "over"
    # Residents (seed 004): the family-search notice (寻亲公告) within 24 hours of admission;
    # seed 001: the police answer an identity verification request within 1 month.
    resident_notice_hours: int = 24
    police_answer_months: int = 1
    # Seed 003: follow-up visits after a return home, minors without exception; others only where
    # an area says so. Days after the return on which each visit is due.
    follow_up_days_after_return: tuple[int, ...] = (30,)
    follow_up_all_returned: bool = False
    # PIPL: supervisors see counts of residents only. Where an area allows it, a supervisor may
    # read one resident's record at an institution they supervise, through a request that names
    # a reason and is logged (off unless the area turns it on).
    supervisor_resident_read: bool = False
    # §3 "每月底": the due day (above) falls in the reported month (0) or an area may give
    # until that day of the following month (1).
    monthly_report_due_month_offset: int = 0
    # Whether a resident sent to hospital leaves the month-end count (start + admitted −
    # discharged − hospital − died − missing = end) or stays on the institution's roll.
    monthly_report_hospital_counts_as_out: bool = True
    # Months back the late-and-missing list looks (the last due month included).
    monthly_report_late_list_months: int = 3
    # Staff risk dashboard (a local working choice, not a rule of the seeds): the windows it
    # looks back over and the weights of each part of the risk score.
    dashboard_incident_window_days: int = 90
    dashboard_inspection_stale_days: int = 180
    dashboard_chart_months: int = 12
    risk_weight_ineligible: int = 30
    risk_weight_overdue_issue: int = 10
    risk_weight_open_issue: int = 2
    risk_weight_no_recent_inspection: int = 10
    risk_weight_no_visit_last_month: int = 10
    risk_weight_missing_report: int = 10
    risk_weight_unexplained_report: int = 10
    risk_weight_death: int = 20
    # Points per incident per 100 residents in the window.
    risk_weight_incident_rate: float = 2.0
    # §6 open day: 19 June.
    open_day_month: int = 6
    open_day_day: int = 19
    public_small_count_threshold: int = 3
    # The public summary covers this many months before the open day (the day itself excluded).
    openday_period_months: int = 12
    # Visit registrations (a local working choice, not a rule of the seeds): active
    # registrations one phone number may hold in an open-day year, and the largest party.
    openday_registrations_per_phone: int = 2
    openday_max_party_size: int = 5
    # Public forms, per client address: submissions allowed per window (seconds); status
    # look-ups by code are limited the same way so codes cannot be guessed by brute force.
    openday_form_submissions_per_window: int = 5
    openday_lookups_per_window: int = 20
    openday_rate_window_seconds: int = 3600
    # A public form sent back faster than this (seconds) after it was served is a robot's.
    openday_form_min_seconds: int = 3
    # Files built by the worker (exports, PDFs) a user asked for: downloadable for this many
    # days after they are ready, then deleted by ``manage.py purge_files`` (the record stays).
    generated_file_days: int = 7
    # A file job not heard from for this many minutes is taken as stopped (the worker died or
    # was restarted): its owner may start it again.
    generated_file_stalled_minutes: int = 30
    # The API (a local working choice, not a rule of the seeds): requests per minute allowed to
    # one API token (or one logged-in session), and to one address on the public endpoints;
    # the longest life a token may be given, in days.
    api_requests_per_minute: int = 120
    api_anonymous_requests_per_minute: int = 30
    api_token_max_days: int = 366
    # Reminders (``manage.py send_reminders``). Days before a qualification document expires
    # (0: the day itself); working days before a rectification deadline; working days overdue
    # after which an issue is escalated to the county bureau, then to the city bureau.
    document_expiry_reminder_days: tuple[int, ...] = (60, 30, 7, 0)
    rectification_reminder_workdays: int = 3
    escalation_county_workdays: int = 5
    escalation_city_workdays: int = 10
    # Days before a supervisor's term ends; days before a monthly report is due; days before a
    # report's comment window closes; a step missed by a run is still sent this many days late.
    supervisor_term_reminder_days: tuple[int, ...] = (90, 30)
    monthly_report_reminder_days: int = 3
    comment_window_reminder_days: int = 1
    reminder_catch_up_days: int = 7
    # Minutes between attempts of a failed mail or robot message; then it is given up (logged).
    notification_retry_minutes: tuple[int, ...] = (1, 5, 30, 120, 360)
    # Excel imports of institutions (a local working choice, not a rule of the seeds): the
    # largest file, the most data rows in it (both sheets), and how long an uploaded file waits
    # for its confirmation before it must be uploaded again.
    import_max_bytes: int = 5 * 1024 * 1024
    import_max_rows: int = 5000
    import_upload_keep_minutes: int = 120
    # 网络安全法 art. 21: network logs kept no less than six months. Days the security log keeps
    # an event before ``manage.py purge_security_events`` deletes it; below 180 is refused.
    security_event_retention_days: int = 180


@cache
def rules() -> Rules:
    raw = settings.AUDIT_RULES_OVERRIDES
    if not raw:
        return Rules()
    overrides = json.loads(raw) if isinstance(raw, str) else dict(raw)
    known = {field.name for field in dataclasses.fields(Rules)}
    unknown = set(overrides) - known
    if unknown:
        raise ImproperlyConfigured(f"Unknown AUDIT_RULES keys: {', '.join(sorted(unknown))}")
    for key, value in overrides.items():
        if isinstance(value, list):
            overrides[key] = tuple(value)
    return Rules(**overrides)


def _reset_rules(*, setting: str, **kwargs) -> None:
    if setting == "AUDIT_RULES_OVERRIDES":
        rules.cache_clear()


setting_changed.connect(_reset_rules)
