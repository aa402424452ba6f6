from django.db import migrations, models


class Migration(migrations.Migration):
    # After the digests are filled: before, every empty digest would collide.
    dependencies = [("supervisors", "0003_encrypt_personal_data")]

    operations = [
        migrations.AddConstraint(
            model_name="supervisor",
            constraint=models.UniqueConstraint(
                fields=("id_number_digest",),
                name="supervisors_supervisor_id_number_unique",
                violation_error_code="unique",
                violation_error_message="A supervisor with this ID number is already on record.",
            ),
        ),
    ]
