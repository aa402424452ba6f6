"""Journey 1: an invited supervisor, on a phone, plans a visit to the institution assigned to
their group, marks two checklist items as not conforming with a photo each, signs with the
institution's representative on the phone, and submits the draft."""

import datetime
import zoneinfo

import time_machine

from inspections.forms.signatures import REPRESENTATIVE
from inspections.models import Inspection, InspectionSignature, ItemResult
from supervisors import services as supervisor_services
from tests.browser.journey import zh
from tests.browser.worlds import world_without
from tests.files import jpeg_bytes_with_gps

NOW = datetime.datetime(2026, 12, 3, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def photo(name: str) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_bytes_with_gps()}


def sign(browser, signer: str, **fields) -> None:
    """Chooses the signer, fills the representative's fields, draws a stroke, saves."""
    page = browser.page
    page.locator('select[name="signer"]').select_option(signer)
    for name, value in fields.items():
        page.locator(f'[name="{name}"]').fill(value)
    canvas = page.locator("#signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 20, box["y"] + box["height"] / 2 + (-1) ** step * 15)
    page.mouse.up()
    page.get_by_role("button", name=zh("Save the signature")).click()


def test_a_supervisor_inspects_on_a_phone_signs_and_submits(journey):
    with time_machine.travel(NOW, tick=True):
        world = world_without("openday")
        supervisor_services.group_assign(
            group=world.group, institution=world.institution_a, actor=world.users["city_staff"]
        )
        supervisor = journey("supervisor", phone=True).sign_in(world.users["supervisor"])
        page = supervisor.page

        supervisor.go(f"/institutions/{world.institution_a.pk}/inspections/new/")
        supervisor.step("plan a visit")
        page.locator('[name="planned_on"]').fill("2026-12-03")
        page.locator('select[name="template"]').select_option(index=1)
        page.get_by_role("button", name=zh("Plan"), exact=True).click()
        visit = Inspection.objects.get(kind=Inspection.Kind.SUPERVISOR_VISIT)
        supervisor.step("planned")
        page.get_by_role("button", name=zh("Start the inspection")).click()
        supervisor.step("checklist")

        rows = list(ItemResult.objects.filter(inspection=visit).order_by("item__position", "pk"))
        for row in rows[2:]:
            page.locator(f'input[name="result-{row.pk}"][value="conforms"]').check()
        for row, (note, name) in zip(
            rows[:2],
            [("灭火器压力不足", "灭火器.jpg"), ("疏散通道堆放杂物", "通道.jpg")],
            strict=True,
        ):
            page.locator(f'input[name="result-{row.pk}"][value="nonconforming"]').check()
            page.locator(f'[name="note-{row.pk}"]').fill(note)
            page.locator(f"#photos-{row.pk}").set_input_files([photo(name)])
        supervisor.step("two items do not conform")
        page.get_by_role("button", name=zh("Save"), exact=True).click()
        supervisor.step("saved")
        assert ItemResult.objects.filter(inspection=visit, result="nonconforming").count() == 2

        supervisor.go(f"/institutions/inspections/{visit.pk}/sign/")
        supervisor.step("signing page")
        sign(supervisor, str(world.users["supervisor"].pk))
        supervisor.step("lead signed")
        sign(
            supervisor,
            REPRESENTATIVE,
            signer_name="孙丽华",
            signer_position="院长",
        )
        supervisor.step("representative signed")
        assert InspectionSignature.objects.filter(inspection=visit).count() == 2

        page.get_by_role("link", name=zh("Review the issue list and submit the draft")).click()
        supervisor.step("issue list")
        page.get_by_role("button", name=zh("Submit the draft")).click()
        supervisor.step("submitted")
        visit.refresh_from_db()
        assert visit.status == Inspection.Status.SUBMITTED
        assert visit.issues.count() == 2
