"""Journey 2: the institution answers an issue with evidence, county staff reject it with a
reason, the institution answers again and staff accept: the issue is closed."""

from inspections.models import Issue, Rectification
from tests.browser.journey import zh
from tests.browser.worlds import world_without
from tests.files import png_bytes

PHOTO = {"name": "灭火器.png", "mimeType": "image/png", "buffer": png_bytes()}


def answer(browser, issue: Issue, text: str) -> None:
    page = browser.page
    browser.go(f"/institutions/issues/{issue.pk}/")
    page.get_by_label(zh("What was done")).fill(text)
    page.get_by_label(zh("Evidence (photos, documents)")).set_input_files([PHOTO])
    page.get_by_role("button", name=zh("Submit for verification")).click()


def decide(browser, issue: Issue, decision: str, reason: str = "") -> None:
    page = browser.page
    browser.go(f"/institutions/issues/{issue.pk}/")
    page.get_by_label(decision).check()
    if reason:
        page.get_by_label(zh("Reason"), exact=True).fill(reason)
    page.get_by_role("button", name=zh("Record the verification")).click()


def test_an_issue_is_answered_rejected_answered_again_and_closed(journey):
    world = world_without("openday")
    issue = world.issue_a
    institution = journey("institution", phone=True).sign_in(world.users["institution_user"])
    county = journey("county").sign_in(world.users["county_a_staff"])

    institution.go(f"/institutions/issues/{issue.pk}/")
    institution.step("open issue")
    answer(institution, issue, "已更换过期灭火器4具")
    institution.step("answered")

    county.go(f"/institutions/issues/{issue.pk}/")
    county.step("rectification to verify")
    decide(county, issue, zh("Reject"), "照片看不清灭火器的有效期，请补拍")
    county.step("rejected")
    issue.refresh_from_db()
    assert issue.status == Issue.Status.OPEN

    institution.go(f"/institutions/issues/{issue.pk}/")
    assert "照片看不清灭火器的有效期" in institution.page.locator("main").inner_text()
    institution.step("rejection seen")
    answer(institution, issue, "已补拍灭火器有效期标签")
    institution.step("answered again")

    decide(county, issue, zh("Accept: the issue is fixed"))
    county.step("accepted")
    issue.refresh_from_db()
    assert issue.status == Issue.Status.CLOSED
    decisions = issue.rectifications.order_by("submitted_at").values_list("decision", flat=True)
    assert list(decisions) == [Rectification.Decision.REJECTED, Rectification.Decision.ACCEPTED]
    institution.go(f"/institutions/issues/{issue.pk}/")
    institution.step("closed")
