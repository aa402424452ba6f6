"""The words of generated incident reports (``manage.py seed_scale``), by kind and stage: every
field each stage must carry (``incidents.models.STAGE_FIELDS``)."""

from incidents.models import Kind

ACCOUNTS = {
    Kind.MISSING: (
        "托养人员一名（男，约70岁，认知障碍）午饭后未归房间",
        "托养人员一名外出就医途中走失",
    ),
    Kind.DEATH: ("托养人员一名夜间突发疾病，经抢救无效死亡", "托养人员一名晨起时被发现无生命体征"),
    Kind.INJURY: ("托养人员一名洗浴时滑倒受伤", "两名托养人员发生肢体冲突，一人受伤"),
    Kind.FIRE: ("居室电暖器线路短路起火，明火已扑灭", "厨房油锅起火，工作人员用灭火毯扑灭"),
    Kind.FOOD_SAFETY: ("午餐后多名托养人员出现腹泻呕吐症状", "晚餐后数名托养人员出现胃肠不适"),
    Kind.HEALTH: ("院内出现流感样病例聚集", "多名托养人员出现发热症状"),
    Kind.ABUSE: ("家属反映托养人员身上有不明伤痕", "护理员被举报推搡托养人员"),
    Kind.OTHER: ("暴雨导致一楼部分居室进水", "停电导致电梯困人，已解救"),
}
PLACES = ("院区东门", "二楼浴室", "三楼居室", "食堂", "活动室", "后院", "医务室", "一楼走廊")
SOURCES = ("值班护理员报告", "午间点名时发现", "监控发现", "家属反映", "夜间巡查发现")


def initial(rng, kind: str) -> dict:
    return {
        "place": rng.choice(PLACES),
        "source": rng.choice(SOURCES),
        "account": rng.choice(ACCOUNTS[kind]),
        "impact_scope": "涉及托养人员，未影响其他人员正常生活",
        "damage_estimate": "正在核实" if kind in (Kind.FIRE, Kind.OTHER) else "暂无财产损失",
        "onsite_rescue": "工作人员第一时间赶到现场处置",
        "measures": "已通知送托救助管理站和主管民政部门，安排专人跟进",
    }


def followup(rng, kind: str, found: bool) -> dict:
    changes = "人员已找到，身体状况良好" if found else "情况无重大变化"
    return {
        "casualties": "无新增伤亡" if rng.random() < 0.8 else "伤者仍在住院治疗",
        "latest_impact": "影响已得到控制",
        "major_changes": changes,
        "measures_effect": "各项措施落实到位",
        "next_steps": "继续跟踪，做好善后和整改",
    }


def final(rng, kind: str, injured: int) -> dict:
    return {
        "cause": "管理制度落实不到位" if rng.random() < 0.5 else "突发疾病，非人为因素",
        "course": "事发后机构立即处置并按规定报告，后续跟进至事态平息",
        "injured_count": injured,
        "injury_severity": "无人员受伤" if injured == 0 else "伤者经治疗已无生命危险",
        "handling": "已完成善后，组织全院开展安全培训和隐患排查",
    }
