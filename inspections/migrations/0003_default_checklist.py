"""The default checklist (DOMAIN §2 and seed 004's winter checks), in Chinese, as version 1."""

from django.db import migrations

CODE = "custody-standard"

# (area, check, guidance, critical)
ITEMS = [
    (
        "internal_management",
        "托养协议在有效期内，送托人员名册与实际在院人数一致",
        "核对协议原件、名册和床位，随机点名。",
        True,
    ),
    (
        "internal_management",
        "建立并执行内部管理、财务会计、突发事件处置、信息报告制度",
        "查阅制度文本与近三个月执行记录。",
        False,
    ),
    (
        "internal_management",
        "值班巡查记录完整，夜间有专人值守",
        "查阅值班表和巡查记录，询问夜班人员。",
        False,
    ),
    (
        "internal_management",
        "视频监控覆盖出入口和公共区域并正常运行，录像保存不少于30天",
        "抽看录像回放。",
        False,
    ),
    ("internal_management", "按月报送托养人员基本情况", "核对月报与在院人数。", False),
    ("daily_care", "床铺、被褥、衣物清洁充足，居室温度适宜", "实地查看居室。", False),
    ("daily_care", "一日三餐按食谱供应，特殊人员有专门饮食", "查看食谱、留样和就餐情况。", False),
    (
        "daily_care",
        "失能、半失能人员有专人照料，无压疮等护理不当情况",
        "抽查照料记录，询问受托人员。",
        True,
    ),
    (
        "daily_care",
        "不存在打骂、体罚、虐待、限制人身自由等情况",
        "单独询问受托人员；发现疑似虐待立即报警。",
        True,
    ),
    ("hygiene", "新入院人员体检和健康档案齐全", "抽查健康档案。", False),
    ("hygiene", "传染病防控措施落实，有隔离观察室", "查看消毒记录和隔离室。", False),
    ("hygiene", "环境卫生整洁，卫生间、浴室定期消毒", "实地查看。", False),
    ("food_drug", "食品经营许可证在有效期内，从业人员持健康证", "核对许可证和健康证。", True),
    ("food_drug", "食品采购索证索票，48小时留样", "查看台账和留样柜。", False),
    ("food_drug", "药品专人保管、按医嘱发放并有记录", "查看药品柜和服药记录。", False),
    (
        "fire_safety",
        "通过消防验收或备案，消防设施完好有效",
        "查看消防文件，测试报警和灭火器压力。",
        True,
    ),
    ("fire_safety", "疏散通道、安全出口畅通，应急照明和疏散指示完好", "实地查看。", True),
    ("fire_safety", "定期开展消防安全检查和应急疏散演练", "查阅演练记录。", False),
    ("fire_safety", "不存在私拉乱接电线、违规使用大功率电器的情况", "查看居室和配电箱。", False),
    ("discharge", "离院、返乡人员交接手续完备，有签字记录", "查阅交接单。", False),
    ("discharge", "滞留超过3个月的人员已开展寻亲和身份查询", "核对名单和寻亲记录。", False),
    ("offsite_custody", "托养人员外出就医有人陪护并及时报告送托机构", "查阅就医记录。", False),
    ("offsite_custody", "走失、死亡等突发事件按规定时限报告", "核对事件记录和报告时间。", True),
    ("winter", "取暖设施运行正常，满足受托人员取暖需求", "寒冬送温暖专项：实地查看。", False),
    (
        "winter",
        "用电线路、电气设备、燃气管道无安全隐患",
        "寒冬送温暖专项：查看线路和燃气设施。",
        True,
    ),
    ("winter", "御寒物资（棉衣、棉被等）储备充足", "查看物资台账和库房。", False),
    ("winter", "冬季食品安全措施落实，杜绝食物中毒", "查看留样和加热设施。", False),
    ("winter", "寒冬应急预案完善并落实应急处置措施", "查阅预案和演练记录。", False),
]


def create_default(apps, schema_editor):
    template_model = apps.get_model("inspections", "ChecklistTemplate")
    item_model = apps.get_model("inspections", "ChecklistItem")
    if template_model.objects.filter(code=CODE).exists():
        return
    template = template_model.objects.create(
        code=CODE,
        version=1,
        name="托养机构检查表",
        description="检查内部管理、生活照料、卫生防疫、食品药品安全、消防安全、离站返乡、站外托养等环节，"
        "另含寒冬送温暖季节性安全隐患检查。",
        status="active",
    )
    item_model.objects.bulk_create(
        item_model(
            template=template,
            area=area,
            position=position,
            text=text,
            guidance=guidance,
            critical=critical,
        )
        for position, (area, text, guidance, critical) in enumerate(ITEMS, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_inspections_and_issues")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
