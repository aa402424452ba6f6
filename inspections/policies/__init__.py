"""Who may do what, now, in the inspections app: one policy per model (see
``audit_portal/core/policy.py``).

- ``inspection_policy``: the inspection (its team, the reviewing bureau, the institution);
- ``issue_policy``: an issue of the list (整改): the institution's rectification and extension
  requests, their verification and decision by staff;
- ``report_policy``: a monthly status report (月报): filed by the institution, reviewed by the
  placing station.
"""

from inspections.policies.inspections import InspectionPolicy, inspection_policy
from inspections.policies.issues import IssuePolicy, issue_policy
from inspections.policies.registry import agreement_policy, document_policy, institution_policy
from inspections.policies.reports import MonthlyReportPolicy, report_policy

__all__ = [
    "InspectionPolicy",
    "IssuePolicy",
    "MonthlyReportPolicy",
    "agreement_policy",
    "document_policy",
    "inspection_policy",
    "institution_policy",
    "issue_policy",
    "report_policy",
]
