"""Incident grades (State Council Order 493, DOMAIN "Incident grades").

Each figure reaches a grade by the lower bounds in ``rules()`` (every bound inclusive: 30 deaths
is 特别重大, 50 million yuan is 重大 and 100 million goes to the higher grade); the highest grade
any figure reaches wins.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy

from audit_portal.rules import rules


class Grade(models.IntegerChoices):
    """Ordered: a higher value is a graver incident."""

    GENERAL = 1, gettext_lazy("General (一般)")
    LARGER = 2, gettext_lazy("Larger (较大)")
    MAJOR = 3, gettext_lazy("Major (重大)")
    ESPECIALLY_MAJOR = 4, gettext_lazy("Especially major (特别重大)")


def _level(value: int | Decimal, bounds: tuple) -> int:
    """How many of the ascending lower ``bounds`` ``value`` reaches (0 to 3)."""
    return sum(1 for bound in bounds if value >= bound)


def grade_for(*, deaths: int, serious_injuries: int, direct_loss: Decimal | int) -> Grade:
    r = rules()
    level = max(
        _level(deaths, r.incident_grade_deaths),
        _level(serious_injuries, r.incident_grade_serious_injuries),
        _level(Decimal(direct_loss), r.incident_grade_direct_loss_cny),
    )
    return Grade(Grade.GENERAL + level)
