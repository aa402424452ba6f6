import pytest

from audit_portal.accounts.models import Organisation
from audit_portal.core.history import MissingChangeReason, save_audited, stamp
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_edit_records_the_user_and_the_reason():
    actor = UserFactory()
    org = OrganisationFactory(name="旧名称")
    org.name = "新名称"
    save_audited(org, actor=actor, reason="机构更名")
    latest = org.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == actor
    assert latest.history_change_reason == "机构更名"
    assert org.history.earliest().name == "旧名称"


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_edit_without_a_reason_is_refused_and_changes_nothing(reason):
    org = OrganisationFactory(name="旧名称")
    org.name = "新名称"
    with pytest.raises(MissingChangeReason):
        save_audited(org, actor=None, reason=reason)
    # The refusal rolled back: pytest-django wraps the test in a transaction, so check the
    # history count rather than the row itself.
    assert org.history.count() == 1


def test_a_deletion_without_a_reason_is_refused():
    org = OrganisationFactory()
    with pytest.raises(MissingChangeReason):
        org.delete()


def test_a_deletion_with_a_reason_is_recorded():
    org = OrganisationFactory()
    pk = org.pk
    stamp(org, actor=None, reason="重复录入")
    org.delete()
    row = Organisation.history.filter(id=pk, history_type="-").get()
    assert row.history_change_reason == "重复录入"


def test_a_reason_explains_one_change_only():
    org = OrganisationFactory(name="甲")
    org.name = "乙"
    save_audited(org, actor=None, reason="第一次修改")
    org.name = "丙"
    with pytest.raises(MissingChangeReason):
        org.save()


def test_creation_needs_no_reason():
    org = OrganisationFactory()
    assert org.history.get().history_type == "+"


def test_a_trail_reads_related_labels_once_however_many_changes_name_them():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audit_portal.core.history_view import trail

    actor = UserFactory()
    city = OrganisationFactory(kind="city", name="江海市民政局")
    counties = [OrganisationFactory(kind="county", parent=city, name=f"县{i}") for i in range(6)]
    station = OrganisationFactory(kind="station", parent=counties[0], name="救助站")

    def moves(count: int) -> int:
        for county in counties[:count]:
            station.parent = county
            save_audited(station, actor=actor, reason="隶属调整")
        with CaptureQueriesContext(connection) as queries:
            rows = trail([Organisation.history.filter(id=station.pk)])
        changes = [change for row in rows for change in row.changes]
        assert {change.new for change in changes} >= {c.name for c in counties[1:count]}
        return len(queries)

    assert moves(2) == moves(6)
