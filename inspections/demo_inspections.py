"""Demo inspections: issue lists with open, overdue, awaiting-verification and closed issues, a
report open for the institution's comments, a planned inspection, a supervisor visit whose
finding waits for the supervisor's verification, extension requests waiting for each county,
and monthly visits with one gap this month.

Everything is created through the services, as a user would; afterwards the dates are moved
into the past (the services stamp "today"), so the ledger shows overdue work. The history rows
keep the real time the demo was seeded.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from audit_portal.rules import rules
from inspections.dates import add_months
from inspections.demo import DEMO_SCAN, institution_account
from inspections.models import Inspection, Issue, ItemResult
from inspections.services import inspections as inspection_services
from inspections.services import issues as issue_services
from inspections.services import signatures as signature_services
from inspections.workdays import add_working_days


def _checklist(inspection: Inspection, actor, failing: dict[int, str]) -> None:
    """Results for every item: the positions in ``failing`` do not conform (with that note)."""
    results, photos = {}, {}
    for row in inspection.results.select_related("item"):
        note = failing.get(row.item.position, "")
        results[row.pk] = {
            "result": ItemResult.Result.NONCONFORMING if note else ItemResult.Result.CONFORMS,
            "note": note,
        }
        if note:  # the inspector photographs what does not conform
            photos[row.pk] = [_photo(len(photos) % 3)]
    inspection_services.inspection_record(
        inspection=inspection,
        actor=actor,
        results=results,
        photos=photos,
        summary="检查组按检查表逐项检查，查阅台账，询问工作人员和托养人员。",
    )


def _backdate(inspection: Inspection, issues: list[Issue], raised_on: datetime.date) -> None:
    Inspection.objects.filter(pk=inspection.pk).update(planned_on=raised_on, performed_on=raised_on)
    for issue in issues:
        deadline = add_working_days(raised_on, issue.rectification_days)
        Issue.objects.filter(pk=issue.pk).update(
            raised_on=raised_on,
            original_deadline=deadline.day,
            deadline=deadline.day,
            deadline_official=deadline.official,
        )
        issue.refresh_from_db()


def _inspect(institution, actor, failing, *, kind="routine", team=()):
    inspection = inspection_services.inspection_plan(
        institution=institution,
        kind=kind,
        planned_on=timezone.localdate(),
        template=inspection_services.ChecklistTemplate.objects.get(
            code="custody-standard", status="active"
        ),
        team=list(team),
        actor=actor,
    )
    inspection = inspection_services.inspection_start(inspection=inspection, actor=actor)
    _checklist(inspection, actor, failing)
    _sign(inspection, actor)
    issues = inspection_services.inspection_submit(inspection=inspection, actor=actor)
    return inspection, issues


def _signature(seed: int) -> bytes:
    """A made-up handwritten stroke, as the signature pad sends it (PNG, transparent)."""
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    points = [(40 + 26 * i, 110 + ((i * 7 + seed * 13) % 9 - 4) * 12) for i in range(20)]
    ImageDraw.Draw(image).line(points, fill=(20, 20, 40, 255), width=5, joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _sign(inspection: Inspection, actor) -> None:
    """On site: every team member signs, then the institution's representative (签字留痕)."""
    for seed, member in enumerate(inspection.team.order_by("pk")):
        signature_services.signature_record(
            inspection=inspection, actor=actor, signer=member, image=_signature(seed)
        )
    signature_services.signature_record(
        inspection=inspection,
        actor=actor,
        signer_name=inspection.institution.legal_representative,
        signer_position="院长",
        image=_signature(7),
    )


def _photo(seed: int) -> SimpleUploadedFile:
    """A stand-in for a photo taken on site: a JPEG the size a phone sends."""
    image = Image.new("RGB", (1600, 1200), (180 - seed * 20, 190, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((300, 250, 1300, 1000), fill=(120, 60 + seed * 30, 40))
    draw.ellipse((600, 450, 1000, 850), fill=(230, 230, 210))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return SimpleUploadedFile(f"现场照片{seed + 1}.jpg", out.getvalue(), "image/jpeg")


def _evidence(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_SCAN, "application/pdf")


def seed(world: dict) -> None:
    if Inspection.objects.exists():
        return
    today = timezone.localdate()
    welfare, psychiatric, yiyang = world["institutions"][:3]
    donghu, xishan = world["user_donghu"], world["user_xishan"]
    account = world["user_institution"]

    # 东湖区社会福利院: a final report 40 days ago; one issue overdue, one awaiting
    # verification, one closed after a rejected first attempt.
    inspection, (fire, care, food) = _inspect(
        welfare,
        donghu,
        {
            16: "二楼东侧灭火器压力不足，1具已过检验期",
            8: "3名失能老人翻身记录不全",
            13: "2名厨师健康证过期",
        },
    )
    inspection_services.inspection_open_comments(inspection=inspection, actor=donghu)
    inspection_services.inspection_comment(
        inspection=inspection, actor=account, comment="对检查结果无异议，将按期整改。"
    )
    inspection_services.inspection_finalise(inspection=inspection, actor=donghu)
    _backdate(inspection, [fire, care, food], today - datetime.timedelta(days=40))
    first = issue_services.rectification_submit(
        issue=food, actor=account, plan="厨师已办理健康证", uploads=[_evidence("健康证.pdf")]
    )
    issue_services.rectification_decide(
        rectification=first, actor=donghu, accept=False, reason="只提交了1名厨师的健康证"
    )
    second = issue_services.rectification_submit(
        issue=food,
        actor=account,
        plan="2名厨师均已取得健康证，已调整排班",
        uploads=[_evidence("健康证2.pdf")],
    )
    issue_services.rectification_decide(rectification=second, actor=donghu, accept=True)
    issue_services.rectification_submit(
        issue=care,
        actor=account,
        plan="已补全翻身记录并组织护理员培训",
        uploads=[_evidence("培训签到表.pdf")],
    )
    issue_services.extension_request(
        issue=fire,
        actor=account,
        requested_deadline=today + datetime.timedelta(days=14),
        reason="灭火器供货商缺货，已下单",
    )

    # 江海康宁精神康复医院: an unannounced inspection this week, open for comments.
    inspection, _issues = _inspect(
        psychiatric,
        donghu,
        {17: "一楼疏散通道堆放床垫", 21: "滞留超过3个月的2人未开展寻亲"},
        kind=Inspection.Kind.UNANNOUNCED,
    )
    inspection_services.inspection_open_comments(inspection=inspection, actor=donghu)

    # 西山县颐养院: final 60 days ago; one major hazard still open (overdue), one closed.
    inspection, (wiring, discharge) = _inspect(
        yiyang, xishan, {25: "居室私拉电线给电暖器供电", 20: "返乡交接单缺少接收人签字"}
    )
    inspection_services.inspection_open_comments(inspection=inspection, actor=xishan)
    # The institution let its comment period run out.
    Inspection.objects.filter(pk=inspection.pk).update(
        comment_deadline=today - datetime.timedelta(days=1)
    )
    inspection_services.inspection_finalise(inspection=inspection, actor=xishan)
    # The team graded the wiring a major hazard (3 working days by default).
    days = rules().rectification_days_major
    Issue.objects.filter(pk=wiring.pk).update(
        severity=Issue.Severity.MAJOR, rectification_days=days
    )
    wiring.rectification_days = days
    _backdate(inspection, [wiring, discharge], today - datetime.timedelta(days=60))
    issue_services.extension_request(
        issue=wiring,
        actor=institution_account(yiyang, "yiyang", "冯春梅"),
        requested_deadline=today + datetime.timedelta(days=10),
        reason="电工已预约，需改造配电线路并加装插座",
    )
    recheck = inspection_services.inspection_plan(
        institution=yiyang, kind=Inspection.Kind.RECHECK, planned_on=today, actor=xishan
    )
    recheck = inspection_services.inspection_start(inspection=recheck, actor=xishan)
    issue_services.recheck_close(
        recheck=recheck, issues=[discharge], actor=xishan, note="交接单已补签，现场核实"
    )

    # The supervisors' group visited its assigned institution last week with the county bureau
    # and found one thing; the institution has reported its rectification, which waits for the
    # supervisor's (and the county's) verification.
    supervisor = world.get("user_supervisor")
    if (
        supervisor is not None
        and welfare.supervisor_assignments.filter(ends_on__isnull=True).exists()
    ):
        visit, raised = _inspect(
            welfare,
            supervisor,
            {9: "部分居室床单更换不及时"},
            kind=Inspection.Kind.SUPERVISOR_VISIT,
            team=[donghu],
        )
        inspection_services.inspection_open_comments(inspection=visit, actor=donghu)
        _backdate(visit, raised, today - datetime.timedelta(days=6))
        issue_services.rectification_submit(
            issue=raised[0],
            actor=account,
            plan="已按每周两次更换床单，建立更换登记表",
            uploads=[_evidence("床单更换登记表.pdf")],
        )

    # Planned next week.
    inspection_services.inspection_plan(
        institution=psychiatric,
        kind=Inspection.Kind.CAMPAIGN,
        planned_on=today + datetime.timedelta(days=7),
        template=inspection.template,
        actor=donghu,
    )

    # Monthly visits by the station: the last three months for two agreements; 颐养院 has
    # none this month, so it shows in the gap list.
    station_user = world["user_station"]
    for agreement in welfare.agreements.all() | psychiatric.agreements.all():
        for months_ago in (2, 1, 0):
            day = add_months(today.replace(day=1), -months_ago) + datetime.timedelta(days=9)
            day = min(day, today)
            if not agreement.covers(day):
                continue
            inspection_services.visit_record(
                agreement=agreement,
                performed_on=day,
                residents_seen=agreement.agreed_places // 2,
                summary="探视托养人员，询问饮食起居和身体状况，查看居室卫生。",
                actor=station_user,
            )
