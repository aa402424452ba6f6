"""The data migration that encrypts the supervisors' ID and phone numbers stored in clear before
they became encrypted fields (``audit_portal.core.encryption``), history included."""

from audit_portal.core.encryption import decrypt_to_plaintext_rows, encrypt_plaintext_rows

MODELS = ("Supervisor", "HistoricalSupervisor")


def encrypt_personal_data(apps, schema_editor) -> None:
    for name in MODELS:
        encrypt_plaintext_rows(apps.get_model("supervisors", name), schema_editor.connection)


def decrypt_personal_data(apps, schema_editor) -> None:
    for name in MODELS:
        decrypt_to_plaintext_rows(apps.get_model("supervisors", name), schema_editor.connection)
