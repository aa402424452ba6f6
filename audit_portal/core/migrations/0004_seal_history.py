from django.db import migrations


def seal(apps, schema_editor):
    from audit_portal.core.audit_chain import seal_history

    seal_history(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    """The history written before the chain existed, sealed in order (audit_portal/core/
    audit_chain.py): after every table has its hash columns and the supervisors' personal data
    is encrypted."""

    dependencies = [
        ("core", "0003_historicalevidencefile_history_hash_and_more"),
        ("accounts", "0003_historicalorganisation_history_hash_and_more"),
        ("notices", "0002_historicalgrouprobot_history_hash_and_more"),
        ("inspections", "0013_historicalchecklistitem_history_hash_and_more"),
        ("supervisors", "0004_id_number_digest_unique"),
        ("incidents", "0005_historicalalert_history_hash_and_more"),
        ("openday", "0002_historicalpubliccomplaint_history_hash_and_more"),
    ]

    operations = [migrations.RunPython(seal, migrations.RunPython.noop)]
