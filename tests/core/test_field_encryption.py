"""Personal data encrypted at rest: the supervisors' ID and phone numbers are tokens in their
table and its history, read back in clear, kept unique through their blind index, re-encrypted
by a key rotation, and never shown in a history diff."""

import datetime
from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils.translation import gettext, override

from audit_portal.core import crypto
from audit_portal.core.checks import field_encryption_keys_set, field_encryption_keys_valid
from audit_portal.core.encryption import encrypt_plaintext_rows
from audit_portal.core.scale import BulkWriter, Progress
from supervisors import selectors, services
from supervisors.models import Supervisor
from tests.supervisors.factories import SupervisorFactory, make_id_number

pytestmark = pytest.mark.django_db

BORN = datetime.date(1966, 4, 2)
NUMBER = make_id_number(BORN, 517)
OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()
DUPLICATE = "A supervisor with this ID number is already on record."


def stored(table: str, pk_column: str, pk, *columns: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE {pk_column} = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()


def supervisor(**fields) -> Supervisor:
    return SupervisorFactory(birth_date=BORN, id_number=NUMBER, phone="13912345678", **fields)


def test_the_id_and_phone_numbers_are_stored_as_tokens():
    record = supervisor()
    id_number, phone, digest = stored(
        "supervisors_supervisor", "id", record.pk, "id_number", "phone", "id_number_digest"
    )
    assert NUMBER not in id_number
    assert "13912345678" not in phone
    assert crypto.decrypt(id_number) == NUMBER
    assert crypto.decrypt(phone) == "13912345678"
    assert digest == crypto.blind_index(NUMBER)
    assert NUMBER not in digest


def test_they_read_back_in_clear():
    record = supervisor()
    again = Supervisor.objects.get(pk=record.pk)
    assert (again.id_number, again.phone) == (NUMBER, "13912345678")
    assert Supervisor.objects.get(id_number_digest=crypto.blind_index(NUMBER)) == record


def test_the_history_table_holds_tokens_too():
    record = supervisor()
    history = record.history.get()
    (id_number,) = stored("supervisors_historicalsupervisor", "history_id", history.pk, "id_number")
    assert NUMBER not in id_number
    assert history.id_number == NUMBER


def test_an_encrypted_field_cannot_be_compared_in_the_database():
    with pytest.raises(FieldError, match="blind index"):
        Supervisor.objects.filter(id_number=NUMBER).exists()
    assert not Supervisor.objects.filter(id_number__isnull=True).exists()


def test_rotation_reencrypts_under_the_new_key_and_the_old_key_can_be_dropped(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    record = supervisor()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    out = StringIO()
    call_command("rotate_field_encryption", "--batch-size", "2", stdout=out)
    assert "supervisors.Supervisor (id_number, phone)" in out.getvalue()
    assert "supervisors.HistoricalSupervisor" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    id_number, phone = stored("supervisors_supervisor", "id", record.pk, "id_number", "phone")
    assert Fernet(NEW_KEY).decrypt(id_number.encode()).decode() == NUMBER
    assert Fernet(NEW_KEY).decrypt(phone.encode()).decode() == "13912345678"
    record.refresh_from_db()
    assert record.id_number == NUMBER
    assert record.history.get().id_number == NUMBER


def test_without_rotation_dropping_the_old_key_loses_the_values(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    record = supervisor()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(InvalidToken):
        record.refresh_from_db()


def test_rotation_writes_no_history_row(settings):
    record = supervisor()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, *settings.FIELD_ENCRYPTION_KEYS]
    call_command("rotate_field_encryption", stdout=StringIO())
    assert record.history.count() == 1


def test_the_database_refuses_a_second_record_with_the_same_id_number():
    supervisor()
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisorFactory(birth_date=BORN, id_number=NUMBER)


def test_the_service_refuses_a_duplicate_id_number_on_its_field(world):
    supervisor()
    count = Supervisor.objects.count()
    with override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.supervisor_create(
            actor=world.users["admin"],
            full_name="王五",
            gender="male",
            birth_date=BORN,
            id_number=NUMBER.lower(),
            employer="江海市人民医院",
            phone="13900000001",
        )
    with override("zh-hans"):
        assert refused.value.message_dict == {"id_number": [gettext(DUPLICATE)]}
    assert Supervisor.objects.count() == count


def test_the_form_refuses_a_duplicate_id_number_with_a_message_on_the_field(world, client_for):
    existing = world.supervisor_record
    count = Supervisor.objects.count()
    response = client_for("city_staff").post(
        reverse("supervisors:supervisor_create"),
        {
            "full_name": "王五",
            "gender": "male",
            "birth_date": existing.birth_date.isoformat(),
            "id_number": existing.id_number,
            "employer": "江海市人民医院",
            "phone": "13900000001",
        },
    )
    assert response.status_code == 200
    with override("zh-hans"):
        assert response.context["form"].errors == {"id_number": [gettext(DUPLICATE)]}
    assert Supervisor.objects.count() == count


def test_changing_ones_own_record_keeps_its_id_number(world):
    record = world.supervisor_record
    services.supervisor_update(
        supervisor=record, actor=world.users["admin"], reason="更正电话", phone="13900000002"
    )
    record.refresh_from_db()
    assert record.phone == "13900000002"


def test_the_history_diff_masks_the_id_and_phone_numbers(world):
    record = supervisor()
    corrected = make_id_number(BORN, 518)
    services.supervisor_update(
        supervisor=record,
        actor=world.users["admin"],
        reason="更正身份证号",
        id_number=corrected,
        phone="13987654321",
    )
    changes = {
        (change.old, change.new)
        for row in selectors.supervisor_history(record)
        for change in row.changes
    }
    assert (f"{NUMBER[:4]}**********{NUMBER[-4:]}", corrected[:4] + "*" * 10 + corrected[-4:]) in (
        changes
    )
    assert ("1391***5678", "1398***4321") in changes
    shown = repr(changes)
    assert NUMBER not in shown and corrected not in shown and "digest" not in shown


def test_the_data_migration_encrypts_the_rows_stored_in_clear():
    record = supervisor()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE supervisors_supervisor SET id_number = %s, id_number_digest = '' WHERE id = %s",
            [NUMBER, record.pk],
        )
    assert encrypt_plaintext_rows(Supervisor, connection, batch_size=1) >= 1
    id_number, phone, digest = stored(
        "supervisors_supervisor", "id", record.pk, "id_number", "phone", "id_number_digest"
    )
    assert crypto.decrypt(id_number) == NUMBER
    assert crypto.decrypt(phone) == "13912345678"
    assert digest == crypto.blind_index(NUMBER)
    record.refresh_from_db()
    assert record.id_number == NUMBER


def test_the_bulk_writer_of_seed_scale_encrypts_too():
    writer = BulkWriter(progress=Progress(StringIO()))
    pk = writer.add(
        Supervisor,
        full_name="甲",
        gender="male",
        birth_date=BORN,
        id_number=NUMBER,
        employer="江海市人民医院",
        phone="13912345678",
    )
    writer.flush()
    id_number, digest = stored("supervisors_supervisor", "id", pk, "id_number", "id_number_digest")
    assert crypto.decrypt(id_number) == NUMBER
    assert digest == crypto.blind_index(NUMBER)


def test_production_without_keys_is_refused(settings):
    settings.DEBUG = False
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_BLIND_INDEX_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        crypto.encrypt(NUMBER)
    with pytest.raises(ImproperlyConfigured, match="FIELD_BLIND_INDEX_KEY"):
        crypto.blind_index(NUMBER)
    assert [e.id for e in field_encryption_keys_set(None)] == ["core.E001", "core.E003"]


def test_debug_derives_the_keys_from_the_secret_key(settings):
    settings.DEBUG = True
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_BLIND_INDEX_KEY = ""
    assert crypto.decrypt(crypto.encrypt(NUMBER)) == NUMBER
    assert len(crypto.blind_index(NUMBER)) == 64
    assert field_encryption_keys_set(None) == []


def test_a_malformed_key_is_a_configuration_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, "not-a-fernet-key"]
    assert [e.id for e in field_encryption_keys_valid(None)] == ["core.E002"]
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        crypto.encrypt(NUMBER)
