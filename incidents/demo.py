"""Demo incidents at the demo institution: an open missing-resident case with a follow-up (its
police report falls due shortly), and a closed injury whose initial report came in late."""

import datetime
from decimal import Decimal

from django.utils import timezone

from audit_portal.accounts.models import User
from incidents import services
from incidents.models import Incident, Kind
from inspections.models import Institution


def _figures(**values) -> dict:
    figures = {"deaths": 0, "serious_injuries": 0, "direct_loss": Decimal(0), "missing_count": 0}
    figures.update(values)
    return figures


def _reporter(world: dict) -> User | None:
    user = world.get("user_institution")
    if user is not None and user.institution_id:
        return user
    institution = Institution.objects.order_by("pk").first()
    if institution is None:
        return None
    return institution.accounts.filter(role=User.Role.INSTITUTION, is_active=True).first()


def seed(world: dict) -> None:
    reporter = _reporter(world)
    if reporter is None:
        return  # no institutions yet: inspections' demo data comes first
    institution = reporter.institution
    if Incident.objects.filter(institution=institution).exists():
        return
    now = timezone.now()

    discovered = now - datetime.timedelta(minutes=45)
    missing = services.incident_report(
        actor=reporter,
        institution=institution,
        kind=Kind.MISSING,
        occurred_at=discovered - datetime.timedelta(minutes=20),
        discovered_at=discovered,
        fields={
            "place": "院区东门",
            "source": "午间点名时发现",
            "account": "托养人员一名（男，约70岁，认知障碍）午饭后未归房间",
            "impact_scope": "涉及一名托养人员",
            "damage_estimate": "暂无人员伤亡和财产损失",
            "onsite_rescue": "已组织工作人员在院区及周边道路搜寻",
            "measures": "调取监控，通知救助管理站，准备向派出所报案",
        },
        figures=_figures(missing_count=1),
    )
    services.report_followup(
        incident=missing,
        actor=reporter,
        fields={
            "casualties": "暂无伤亡，仍在搜寻",
            "latest_impact": "无新增影响",
            "major_changes": "监控显示其12时10分由东门离开",
            "measures_effect": "院区内已排除",
            "next_steps": "扩大搜寻范围至周边社区，联系公安协查",
        },
        figures=_figures(missing_count=1),
    )

    discovered = now - datetime.timedelta(minutes=75)
    injury = services.incident_report(
        actor=reporter,
        institution=institution,
        kind=Kind.INJURY,
        occurred_at=discovered - datetime.timedelta(minutes=5),
        discovered_at=discovered,
        fields={
            "place": "二楼浴室",
            "source": "护理员报告",
            "account": "一名托养人员洗浴时滑倒，右腕受伤",
            "impact_scope": "涉及一名托养人员",
            "damage_estimate": "右腕疑似骨折",
            "onsite_rescue": "医务室现场固定处置",
            "measures": "送区人民医院就诊，通知送托站",
        },
        figures=_figures(serious_injuries=1),
    )
    services.report_final(
        incident=injury,
        actor=reporter,
        fields={
            "event_time": injury.occurred_at,
            "cause": "浴室地面湿滑，防滑垫缺失",
            "course": "滑倒后护理员即时发现，医务室处置后送医",
            "injured_count": 1,
            "injury_severity": "右腕骨折，已复位固定，无生命危险",
            "handling": "全院浴室加装防滑垫和扶手，开展护理员安全培训",
        },
        figures=_figures(serious_injuries=1, direct_loss=Decimal("3200")),
        over_reason="伤者已复位固定，无生命危险，事态平息",
    )
    closer = User.objects.filter(
        organisation=institution.county, role=User.Role.STAFF, is_active=True
    ).first() or world.get("user_city")
    if closer is not None:
        services.incident_close(incident=injury, actor=closer, text="整改措施已落实，同意结案")
    world.update(incident_open=missing, incident_closed=injury)
