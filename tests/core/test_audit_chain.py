import io
import itertools
import threading
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from audit_portal.accounts.models import Organisation, User
from audit_portal.core.append_only import rewriting
from audit_portal.core.audit_chain import (
    GENESIS,
    NOT_SEALED,
    ROW_EDITED,
    ROW_MISSING,
    AppendOnlyError,
    HistoryChain,
    chained_models,
    instance_hash,
    seal_history,
    verify_table,
)
from audit_portal.core.history import save_audited, stamp
from audit_portal.core.scale import BulkWriter
from supervisors.models import Event
from tests.factories import OrganisationFactory, UserFactory
from tests.supervisors.factories import SupervisorFactory
from tests.unrendered import seed_demo

pytestmark = pytest.mark.django_db

HistoricalOrganisation = Organisation.history.model
TABLE = HistoricalOrganisation._meta.db_table
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's"
)


def rows(model=HistoricalOrganisation) -> list:
    return list(model.objects.order_by("pk"))


def verify(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit_chain", *args, stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
        return 1, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@contextmanager
def trigger_off():
    """Tampering as a database superuser would: triggers off for this transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    execute("SET LOCAL session_replication_role = replica")
    yield
    execute("SET LOCAL session_replication_role = origin")


def execute(sql: str, params=(), table: str = TABLE) -> None:
    """``sql`` with ``{table}`` standing for the quoted table name."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=connection.ops.quote_name(table)), params)


def tamper(sql: str, params=(), table: str = TABLE) -> None:
    with trigger_off():
        execute(sql, params, table)


def three_changes() -> Organisation:
    org = OrganisationFactory(name="甲")
    org.name = "乙"
    save_audited(org, actor=None, reason="更名")
    org.name = "丙"
    save_audited(org, actor=None, reason="再次更名")
    return org


# Chaining ------------------------------------------------------------------------------------


def test_every_history_row_is_chained_to_the_one_before_it_in_its_table():
    org = OrganisationFactory()
    org.name = "新名称"
    save_audited(org, actor=None, reason="更名")
    stamp(org, actor=None, reason="重复录入")
    org.delete()
    history = rows()
    assert [row.history_type for row in history] == ["+", "~", "-"]
    assert history[0].history_prev_hash == GENESIS
    for before, row in itertools.pairwise(history):
        assert row.history_prev_hash == before.history_hash
    for row in history:
        assert row.history_hash == instance_hash(row, row.history_prev_hash)


def test_the_hash_covers_the_content_as_read_back_from_the_database():
    three_changes()
    for row in rows():
        fresh = HistoricalOrganisation.objects.get(pk=row.pk)
        assert instance_hash(fresh, fresh.history_prev_hash) == row.history_hash


def test_every_historical_model_is_chained():
    historical = [m for m in apps.get_models() if hasattr(m, "instance_type")]
    assert historical
    assert [m for m in historical if not issubclass(m, HistoryChain)] == []
    assert set(chained_models()) == set(historical)


def test_many_to_many_history_rows_are_chained_too():
    event = Event.objects.create(kind=Event.Kind.TRAINING, title="培训", held_on="2026-03-01")
    event.attendees.add(SupervisorFactory(), SupervisorFactory())
    m2m = HistoricalRecords.m2m_models[Event._meta.get_field("attendees")]
    assert m2m.objects.count() == 2
    assert verify_table(m2m).rows == 2
    assert verify_table(Event.history.model).ok


def test_bulk_created_history_rows_are_chained():
    OrganisationFactory()
    objs = [Organisation(name=f"机构{n}", code=f"bulk-{n}", kind="city") for n in range(5)]
    bulk_create_with_history(objs, Organisation, default_change_reason="批量导入")
    check = verify_table(HistoricalOrganisation)
    assert check.ok and check.rows == 6
    assert HistoricalOrganisation.objects.filter(history_change_reason="批量导入").count() == 5


def test_an_encrypted_value_enters_the_hash_keyed_never_in_clear(settings):
    supervisor = SupervisorFactory()
    row = supervisor.history.get()
    assert verify_table(type(row)).ok
    settings.AUDIT_CHAIN_KEY = "another key"
    # Under another key the same content no longer matches: the value was hashed keyed.
    assert instance_hash(row, row.history_prev_hash) != row.history_hash


# Append only, in the application -------------------------------------------------------------


def test_a_saved_history_row_cannot_be_saved_again_or_deleted():
    OrganisationFactory()
    row = HistoricalOrganisation.objects.get()
    row.history_change_reason = "改写"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        HistoricalOrganisation.objects.update(history_change_reason="改写")
    with pytest.raises(AppendOnlyError):
        HistoricalOrganisation.objects.all().delete()


def test_the_bulk_writer_of_generated_data_refuses_history_rows():
    with pytest.raises(TypeError, match="sealed"):
        BulkWriter().add(HistoricalOrganisation, name="x")


# Verifying -----------------------------------------------------------------------------------


def test_verify_passes_on_a_clean_database_and_counts_each_table():
    three_changes()
    code, out, err = verify()
    assert code == 0, err
    assert f"{TABLE}: 3 rows verified, head {rows()[-1].history_hash}" in out
    assert "history tables verified" in out


def test_verify_checks_one_table_by_name_or_model():
    three_changes()
    for name in (TABLE, "accounts.HistoricalOrganisation"):
        code, out, _err = verify("--table", name)
        assert code == 0
        assert out.splitlines()[0].startswith(f"{TABLE}: 3 rows verified")


def test_verify_refuses_an_unknown_table():
    code, _out, err = verify("--table", "accounts_organisation")
    assert code == 1
    assert "No history table" in err


def test_an_edited_row_fails_verification_naming_it():
    three_changes()
    second = rows()[1]
    tamper("UPDATE {table} SET name = %s WHERE history_id = %s", ["篡改", second.pk])
    code, _out, err = verify()
    assert code == 1
    assert f"{TABLE}: chain broken at history_id {second.pk}: {ROW_EDITED}" in err
    assert verify_table(HistoricalOrganisation).problem == ROW_EDITED


def test_an_edited_who_or_when_fails_too():
    three_changes()
    second = rows()[1]
    tamper(
        "UPDATE {table} SET history_user_id = %s WHERE history_id = %s",
        [UserFactory().pk, second.pk],
    )
    check = verify_table(HistoricalOrganisation)
    assert (check.broken_at, check.problem) == (second.pk, ROW_EDITED)


def test_a_deleted_row_fails_verification_at_the_row_after_it():
    three_changes()
    _first, second, third = rows()
    tamper("DELETE FROM {table} WHERE history_id = %s", [second.pk])
    code, _out, err = verify()
    assert code == 1
    assert f"{TABLE}: chain broken at history_id {third.pk}: {ROW_MISSING}" in err
    assert "(1 rows before it verified)" in err


def test_two_swapped_rows_fail_verification_at_the_first_of_them():
    three_changes()
    _first, second, third = rows()
    swap = "UPDATE {table} SET history_id = %s WHERE history_id = %s"
    tamper(swap, [-1, second.pk])
    tamper(swap, [second.pk, third.pk])
    tamper(swap, [third.pk, -1])
    check = verify_table(HistoricalOrganisation)
    assert (check.broken_at, check.problem, check.rows) == (second.pk, ROW_MISSING, 1)


def test_a_row_written_around_the_chain_fails_as_not_sealed():
    three_changes()
    unsealed = HistoricalOrganisation(
        id=999, name="插入", code="x", kind="city", history_type="+", history_date=timezone.now()
    )
    models.QuerySet(HistoricalOrganisation).bulk_create([unsealed])
    code, _out, err = verify()
    assert code == 1
    assert f"chain broken at history_id {rows()[-1].pk}: {NOT_SEALED}" in err


def test_every_broken_table_is_reported_not_only_the_first():
    three_changes()
    UserFactory()
    user_table = User.history.model._meta.db_table
    tamper("UPDATE {table} SET name = %s", ["篡改"])
    tamper("UPDATE {table} SET full_name = %s", ["篡改"], table=user_table)
    code, _out, err = verify()
    assert code == 1
    assert f"{TABLE}: chain broken" in err and f"{user_table}: chain broken" in err
    assert "2 of " in err


# Sealing existing rows -----------------------------------------------------------------------


def test_sealing_chains_rows_written_before_the_chain_and_is_idempotent():
    three_changes()
    UserFactory()
    user_table = User.history.model._meta.db_table
    for table in (TABLE, user_table):
        tamper(
            "UPDATE {table} SET history_hash = %s, history_prev_hash = %s", ["", ""], table=table
        )
    assert verify_table(HistoricalOrganisation).problem == NOT_SEALED
    sealed = seal_history()
    assert sealed[TABLE] == 4 and sealed[user_table] == 2
    assert verify()[0] == 0
    heads = [row.history_hash for row in rows()]
    assert set(seal_history().values()) == {0}
    assert [row.history_hash for row in rows()] == heads


def test_sealing_leaves_sealed_rows_and_chains_new_ones_after_them():
    three_changes()
    last = rows()[-1]
    unsealed = HistoricalOrganisation(
        id=999,
        name="迟到",
        code="late",
        kind="city",
        history_type="+",
        history_date=last.history_date,
    )
    models.QuerySet(HistoricalOrganisation).bulk_create([unsealed])
    assert seal_history()[TABLE] == 1
    assert rows()[-1].history_prev_hash == last.history_hash
    assert verify_table(HistoricalOrganisation).ok


# Creation rows carry a reason ----------------------------------------------------------------


def test_a_creation_row_without_a_reason_says_it_was_created_by_the_system():
    OrganisationFactory()
    assert HistoricalOrganisation.objects.get().history_change_reason == "created by the system"


def test_a_creation_row_keeps_the_reason_it_was_given():
    org = Organisation(name="甲", code="given", kind="city")
    stamp(org, actor=None, reason="依文件设立")
    org.save()
    assert org.history.get().history_change_reason == "依文件设立"


def test_a_creation_row_names_the_management_command(monkeypatch):
    monkeypatch.setattr("sys.argv", ["manage.py", "seed_demo"])
    OrganisationFactory()
    assert org_reason() == "created by manage.py seed_demo"


def org_reason() -> str:
    return HistoricalOrganisation.objects.get().history_change_reason


def test_a_creation_row_names_the_page_it_was_created_on(client):
    admin_user = UserFactory(is_staff=True, is_superuser=True, role=User.Role.ADMIN)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_organisation_add"),
        {"name": "新设机构", "code": "new-org", "kind": "city", "change_reason": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    row = HistoricalOrganisation.objects.get(code="new-org")
    assert row.history_change_reason == "created by admin:accounts_organisation_add"
    assert HistoricalRecords.context.__dict__.get("request") is None


# Admin ---------------------------------------------------------------------------------------


def test_no_admin_page_registers_a_history_model():
    assert [m for m in admin.site._registry if issubclass(m, HistoryChain)] == []


def test_the_admin_cannot_delete_an_account_whose_actions_history_names(rf):
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True, role=User.Role.ADMIN)
    assert admin.site._registry[User].has_delete_permission(request) is False


# PostgreSQL: the trigger -----------------------------------------------------------------------


@on_postgresql
def test_postgresql_refuses_an_update_of_a_history_row():
    three_changes()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute("UPDATE {table} SET name = %s", ["篡改"])
    assert {row.name for row in rows()} == {"甲", "乙", "丙"}


@on_postgresql
def test_postgresql_refuses_a_delete_of_a_history_row():
    three_changes()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute("DELETE FROM {table}")
    assert len(rows()) == 3


@on_postgresql
def test_postgresql_refuses_deleting_an_account_that_history_names():
    actor = UserFactory()
    org = OrganisationFactory()
    org.name = "新名称"
    save_audited(org, actor=actor, reason="更名")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        actor.delete()


@on_postgresql
def test_postgresql_lets_a_rewrite_change_encrypted_columns_only():
    supervisor = SupervisorFactory()
    model = supervisor.history.model
    table = model._meta.db_table
    with transaction.atomic(), rewriting(model, ["phone"], using="default"):
        execute("UPDATE {table} SET phone = phone", table=table)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            execute("UPDATE {table} SET employer = %s", ["篡改"], table=table)
    with (
        pytest.raises(ValueError, match="not an encrypted column"),
        transaction.atomic(),
        rewriting(model, ["employer"], using="default"),
    ):
        pass


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_leave_one_unbroken_chain():
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def write(prefix: str) -> None:
        try:
            start.wait()
            for n in range(15):
                with transaction.atomic():
                    Organisation.objects.create(
                        name=f"{prefix}{n}", code=f"{prefix}-{n}", kind="city"
                    )
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(p,)) for p in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    check = verify_table(HistoricalOrganisation)
    assert check.ok and check.rows == 30
    assert len({row.history_prev_hash for row in rows()}) == 30


def test_every_history_table_verifies_after_the_demo_data_is_seeded():
    # The demo writes every regulated model through its services: dates, decimals, JSON, files,
    # keys, encrypted values, many-to-many rows. Each must hash the same read back.
    seed_demo()
    code, out, err = verify()
    assert code == 0, err
    assert sum(int(line.split(": ")[1].split()[0]) for line in out.splitlines()[:-1]) > 100
