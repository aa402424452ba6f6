from django.db import migrations

from supervisors.encryption import decrypt_personal_data, encrypt_personal_data


class Migration(migrations.Migration):
    """Supervisors' ID and phone numbers encrypted at rest (and their ID digests filled), in the
    records and their history."""

    dependencies = [("supervisors", "0002_historicalappointment_history_hash_and_more")]

    operations = [migrations.RunPython(encrypt_personal_data, decrypt_personal_data)]
