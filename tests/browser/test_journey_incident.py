"""Journey 3: an institution reports a missing resident within the hour; an hour after the
discovery the page demands the police report's details, which the institution gives; the
follow-up and the final report close the account of it, and county staff see the alert and the
timeline."""

import datetime
import zoneinfo

import time_machine

from incidents.models import Incident
from tests.browser.journey import zh
from tests.browser.worlds import world_without

NOW = datetime.datetime(2026, 12, 3, 21, 40, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
INITIAL = {
    "place": "三楼活动室",
    "source": "护理员查房发现",
    "account": "晚间查房时发现张阿福不在房间，监控显示其于20时50分从侧门离开。",
    "impact_scope": "一名托养人员",
    "damage_estimate": "无",
    "onsite_rescue": "已组织人员在周边寻找",
    "measures": "调取监控，联系救助管理站",
}

FOLLOW_UP = {
    "casualties": "无人员伤亡",
    "latest_impact": "张阿福于次日7时10分在附近公园被找到，身体无碍",
    "major_changes": "人员已找回",
    "measures_effect": "监控排查有效",
    "next_steps": "加强夜间巡查",
}
FINAL = {
    "event_time": "2026-12-03T20:50",
    "cause": "侧门未上锁",
    "course": "夜间离院，次日清晨找回",
    "injured_count": "0",
    "injury_severity": "无",
    "handling": "侧门加装门禁，夜间增加一次查房",
    "over_reason": "人员已找回，身体无碍",
}


def fill(page, values: dict) -> None:
    for name, value in values.items():
        page.locator(f'[name="{name}"]').fill(value)


def test_a_missing_resident_is_reported_followed_up_and_closed(journey):
    with time_machine.travel(NOW, tick=True) as clock:
        world = world_without("openday")
        resident = world.resident_a
        institution = journey("institution", phone=True).sign_in(world.users["institution_user"])
        county = journey("county").sign_in(world.users["county_a_staff"])

        institution.go("/incidents/new/")
        institution.step("new report")
        page = institution.page
        page.locator('[name="kind"]').select_option("missing")
        page.locator('[name="occurred_at"]').fill("2026-12-03T20:50")
        page.locator('[name="discovered_at"]').fill("2026-12-03T21:30")
        fill(page, INITIAL)
        fill(page, {"deaths": "0", "serious_injuries": "0", "direct_loss": "0"})
        fill(page, {"missing_count": "1"})
        page.locator('[name="resident"]').select_option(str(resident.pk))
        institution.step("initial report filled in")
        page.get_by_role("button", name="提交报告").click()
        institution.step("received")
        incident = Incident.objects.get(resident=resident)
        assert incident.resident == resident
        assert incident.kind == "missing"
        county.go("/incidents/alerts/")
        county.step("alert")
        assert world.institution_a.name in county.page.locator("main").inner_text()

        # The police report is owed an hour after the discovery; the staff keep working (a
        # session ends after 30 minutes without a page).
        for minutes in (25, 25, 15):
            clock.shift(datetime.timedelta(minutes=minutes))
            institution.go(f"/incidents/{incident.pk}/")
        institution.step("police report owed")
        assert "已逾期" in page.locator("main").inner_text()
        page.get_by_role("link", name=zh("Record the police report")).first.click()
        page.locator('[name="reported_at"]').fill("2026-12-03T22:00")
        fill(page, {"police_station": "东湖派出所", "case_number": "DH20261203-117"})
        institution.step("police report")
        page.get_by_role("button", name="提交报告").click()
        institution.step("police report recorded")
        assert incident.police_records.exists()

        # The next morning: found, and the follow-up says so.
        clock.shift(datetime.timedelta(hours=10))
        institution.sign_in(world.users["institution_user"])
        institution.go(f"/incidents/{incident.pk}/follow-up/")
        fill(page, FOLLOW_UP)
        fill(page, {"deaths": "0", "serious_injuries": "0", "direct_loss": "0"})
        fill(page, {"missing_count": "0"})
        page.locator('[name="resident_found_at"]').fill("2026-12-04T07:10")
        institution.step("follow-up")
        page.get_by_role("button", name="提交报告").click()
        institution.step("follow-up received")

        institution.go(f"/incidents/{incident.pk}/final/")
        fill(page, FINAL)
        fill(page, {"deaths": "0", "serious_injuries": "0", "direct_loss": "0"})
        fill(page, {"missing_count": "0"})
        institution.step("final report")
        page.get_by_role("button", name="提交报告").click()
        institution.step("final report received")
        incident.refresh_from_db()
        assert incident.resident_found_at is not None
        assert incident.reports.filter(stage="final").exists()

        # The next day, county staff read the whole account.
        county.sign_in(world.users["county_a_staff"])
        county.go(f"/incidents/{incident.pk}/")
        county.step("timeline")
        account = county.page.locator("main").inner_text()
        assert resident.name in account
        assert "DH20261203-117" in account
        county.page.locator('textarea[name="text"]').last.fill("人员已找回，整改措施已落实")
        county.page.get_by_role("button", name=zh("Close the incident")).click()
        county.step("closed")
        incident.refresh_from_db()
        assert incident.status == Incident.Status.CLOSED
