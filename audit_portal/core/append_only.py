"""On PostgreSQL, history tables refuse UPDATE and DELETE (a row trigger on each), so no code
path nor a stray SQL statement changes the trail; the hash chain (``core.audit_chain``) shows
what someone with the rights to drop the trigger did anyway. TRUNCATE stays allowed: it fires
no row trigger, and test flushes use it.

Installed after every ``migrate`` (the ``post_migrate`` signal, also sent when the test suite
builds its database without migrations); idempotent.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connections, models, transaction

from audit_portal.core.audit_chain import chained_models
from audit_portal.core.fields import BlindIndexField, EncryptedMixin

FUNCTION = "audit_portal_history_append_only"
TRIGGER = "audit_portal_history_append_only"
SETTING = "audit_portal.history_rewritable"

# Two UPDATEs are let through, each changing named columns only: sealing a row written before
# the chain existed (``audit_chain.seal_table``: the two hash columns of an unsealed row), and
# rewriting the stored form of encrypted values in this transaction (``rewriting``).
FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rewritable text := current_setting('{SETTING}', true);
    columns text[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF to_jsonb(OLD) ->> 'history_hash' = ''
            AND to_jsonb(NEW) - ARRAY['history_hash', 'history_prev_hash']
                = to_jsonb(OLD) - ARRAY['history_hash', 'history_prev_hash']
        THEN
            RETURN NEW;
        END IF;
        IF split_part(coalesce(rewritable, ''), ':', 1) = TG_TABLE_NAME THEN
            columns := string_to_array(split_part(rewritable, ':', 2), ',');
            IF to_jsonb(NEW) - columns = to_jsonb(OLD) - columns THEN
                RETURN NEW;
            END IF;
        END IF;
    END IF;
    RAISE EXCEPTION 'history rows are append-only'
        USING DETAIL = format('%s on %s refused', TG_OP, TG_TABLE_NAME);
END;
$$
"""


@contextmanager
def rewriting(model: type[models.Model], columns: Iterable[str], *, using: str) -> Iterator[None]:
    """Let the current transaction rewrite ``columns`` of ``model``'s history rows: encrypted
    columns and their blind indexes only, whose stored form changes while their value does not
    (re-encryption under a new key). The chain hashes values, so it still verifies."""
    columns = list(columns)
    for name in columns:
        field = model._meta.get_field(name)
        if not isinstance(field, (EncryptedMixin, BlindIndexField)):
            raise ValueError(f"{model._meta.label}.{name} is not an encrypted column.")
    connection = connections[using]
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("Rewriting history needs a transaction.")
    if connection.vendor != "postgresql":
        yield
        return
    attnames = ",".join(model._meta.get_field(name).column for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, true)", [SETTING, f"{model._meta.db_table}:{attnames}"]
        )
    yield
    # After an error the transaction rolls back, and the setting with it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, '', true)", [SETTING])


def install_append_only_triggers(*, using: str) -> list[str]:
    """Install the trigger on every history table that exists and lacks it; return those."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    tables = [m._meta.db_table for m in chained_models() if m._meta.db_table in existing]
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND pg_table_is_visible(c.oid)",
            [TRIGGER],
        )
        guarded = {name for (name,) in cursor.fetchall()}
        missing = [table for table in tables if table not in guarded]
        for table in missing:
            cursor.execute(f"DROP TRIGGER IF EXISTS {quote(TRIGGER)} ON {quote(table)}")
            cursor.execute(
                f"CREATE TRIGGER {quote(TRIGGER)} BEFORE UPDATE OR DELETE ON {quote(table)} "
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
            )
    return missing


def install_after_migrate(sender, *, using: str, **kwargs) -> None:
    install_append_only_triggers(using=using)
