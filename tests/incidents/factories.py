"""Incidents filed through the services, as a reporter would."""

import datetime
from decimal import Decimal

from django.utils import timezone
from guardian.shortcuts import assign_perm

from audit_portal.accounts.models import User
from incidents import services
from incidents.models import Kind, Stage
from tests.factories import UserFactory

INITIAL = {
    "place": "二楼活动室",
    "source": "值班护理员发现",
    "account": "一名托养人员在活动室摔倒受伤",
    "impact_scope": "仅涉及一名托养人员",
    "damage_estimate": "无财产损失",
    "onsite_rescue": "值班医生现场处置",
    "measures": "送医检查，通知家属",
}
FOLLOWUP = {
    "casualties": "伤者病情稳定",
    "latest_impact": "无新增影响",
    "major_changes": "无",
    "measures_effect": "处置有效",
    "next_steps": "继续观察",
}
FINAL = {
    "cause": "地面湿滑",
    "course": "摔倒后即送医",
    "injured_count": 1,
    "injury_severity": "轻伤",
    "handling": "已加装防滑垫并开展安全培训",
}


def figures(deaths=0, serious_injuries=0, direct_loss=0, missing_count=0) -> dict:
    return {
        "deaths": deaths,
        "serious_injuries": serious_injuries,
        "direct_loss": Decimal(direct_loss),
        "missing_count": missing_count,
    }


def police(**overrides) -> dict:
    data = {
        "reported_at": timezone.now() - datetime.timedelta(minutes=5),
        "police_station": "东湖派出所",
        "case_number": "JJ2026001",
    }
    data.update(overrides)
    return data


def reporter_for(institution) -> User:
    user = institution.accounts.filter(role=User.Role.INSTITUTION).first()
    if user is None:
        user = UserFactory(role=User.Role.INSTITUTION, organisation=None, institution=institution)
        assign_perm("inspections.view_institution", user, institution)
    return user


def file_incident(
    institution=None,
    *,
    station=None,
    actor=None,
    kind=Kind.INJURY,
    minutes_ago=30,
    fields=None,
    **kwargs,
):
    now = timezone.now()
    discovered = now - datetime.timedelta(minutes=minutes_ago)
    if actor is None:
        actor = reporter_for(institution)
    kwargs.setdefault("figures", figures())
    died = kwargs["figures"]["deaths"] > 0
    if (kind in (Kind.DEATH, Kind.MISSING) or died) and minutes_ago > 0:
        kwargs.setdefault("police", police(reported_at=discovered))
    return services.incident_report(
        actor=actor,
        institution=institution,
        station=station,
        kind=kind,
        occurred_at=discovered - datetime.timedelta(minutes=10),
        discovered_at=discovered,
        fields=fields or dict(INITIAL),
        **kwargs,
    )


def followup(incident, actor=None, **kwargs):
    kwargs.setdefault("figures", figures())
    return services.report_followup(
        incident=incident,
        actor=actor or reporter_for(incident.institution),
        fields=dict(FOLLOWUP),
        **kwargs,
    )


def final(incident, actor=None, **kwargs):
    """The final report; an incident not yet declared over is declared so with it."""
    kwargs.setdefault("figures", figures())
    kwargs.setdefault("over_reason", "伤者已出院，事态平息")
    fields = {**FINAL, "event_time": incident.occurred_at}
    return services.report_final(
        incident=incident,
        actor=actor or reporter_for(incident.institution),
        fields=fields,
        **kwargs,
    )


def tell_regulators(incident, actor=None):
    """Record every safety regulator the incident's kind requires as told (as the chain's page
    would), so that only what a test is about stays missing."""
    from incidents.models import RegulatorReport, regulators_missing

    actor = actor or reporter_for(incident.institution)
    now = timezone.now()
    for regulator in regulators_missing(incident):
        RegulatorReport.objects.create(
            incident=incident,
            regulator=regulator,
            notified_at=now,
            notified_by="值班院长",
            recorded_at=now,
            recorded_by=actor,
        )


__all__ = ["FINAL", "FOLLOWUP", "INITIAL", "Stage", "figures", "file_incident", "police"]


def local(dt: datetime.datetime) -> str:
    """A datetime as the reporting form's local (Beijing) datetime field posts it."""
    return dt.astimezone(datetime.timezone(datetime.timedelta(hours=8))).strftime("%Y-%m-%dT%H:%M")


def initial_post(now: datetime.datetime, minutes_ago: int, **extra) -> dict:
    """The initial-report form's data for an injury discovered ``minutes_ago`` before ``now``."""
    discovered = now - datetime.timedelta(minutes=minutes_ago)
    return {
        "kind": Kind.INJURY,
        "occurred_at": local(discovered - datetime.timedelta(minutes=5)),
        "discovered_at": local(discovered),
        **INITIAL,
        "deaths": 0,
        "serious_injuries": 1,
        "direct_loss": "0",
        "missing_count": 0,
        **extra,
    }
