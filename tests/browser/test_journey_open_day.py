"""Journey 4: city staff draft the open-day summary from the records, a second person approves
and publishes it, and an anonymous visitor reads it, registers a visit and downloads the PDF."""

import datetime
import zoneinfo

import time_machine

from openday import services
from openday.models import Registration, Summary
from tests.browser.worlds import world_without
from tests.factories import UserFactory

# Before the 2027 open day (19 June): the summary covers the months before it.
NOW = datetime.datetime(2027, 6, 1, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def test_a_summary_is_drafted_approved_published_and_read_by_the_public(journey):
    with time_machine.travel(NOW, tick=True) as clock:
        world = world_without("openday")
        approver = UserFactory(username="approver", full_name="周敏", organisation=world.city)
        services.visit_day_set(
            institution=world.institution_a,
            year=2027,
            capacity=40,
            hours="09:00–11:30",
            meeting_point="福利院正门",
            registration_open=True,
            actor=world.users["county_a_staff"],
        )

        drafter = journey("drafter").sign_in(world.users["city_staff"])
        drafter.go("/open-day/staff/")
        drafter.step("summaries")
        drafter.page.get_by_label("开放日年度").fill("2027")
        drafter.page.get_by_role("button", name="生成数据并起草").click()
        drafter.step("draft from the records")

        second = journey("approver").sign_in(approver)
        second.go(drafter.page.url)
        second.step("draft to approve")
        second.page.get_by_role("button", name="批准").click()
        second.step("approved")
        second.page.get_by_role("button", name="发布").click()
        second.step("published")

        summary = Summary.objects.get(year=2027)
        assert summary.status == Summary.Status.PUBLISHED
        assert (summary.drafted_by, summary.approved_by) == (world.users["city_staff"], approver)

        visitor = journey("visitor", phone=True)
        visitor.go("/open-day/2027/")
        visitor.step("public summary")
        visitor.page.get_by_role("link", name="报名参观").first.click()
        visitor.step("visit days")
        visitor.page.get_by_role("link", name="报名", exact=True).first.click()
        visitor.step("register")
        visitor.page.get_by_label("您的姓名").fill("李华")
        visitor.page.get_by_label("手机号码").fill("13912345678")
        visitor.page.get_by_label("参观人数").fill("2")
        # A person takes a while to fill the form in (the form refuses robots' instant posts).
        clock.shift(datetime.timedelta(seconds=30))
        visitor.page.get_by_role("button", name="报名").click()
        visitor.step("registered")
        registration = Registration.objects.get()
        assert (registration.name, registration.party_size) == ("李华", 2)
        assert registration.code in visitor.page.locator("main").inner_text()
        visitor.go("/open-day/2027/")
        link = visitor.page.get_by_role("link", name="下载PDF")
        pdf = visitor.page.request.get(link.get_attribute("href"))
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")
