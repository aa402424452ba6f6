"""The pages of generated files: "My files", the progress page, the download (the owner only),
starting a build again, the header's count of files ready, and the admin's read-only list."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit_portal.core.context_processors import files_ready
from audit_portal.core.files.selectors import WATCH_FILES, ready_count
from audit_portal.core.models import GeneratedFile
from tests.core.file_helpers import Status, built, request_file, stalled

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("file_builders")]


# Pages -----------------------------------------------------------------------------------------


def test_my_files_lists_my_files_only_newest_first(alice, bob, client):
    first = built(alice)
    second = built(alice, kind="tests.boom")
    built(bob)
    client.force_login(alice)
    response = client.get(reverse("files:list"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [second, first]


def test_my_files_is_paginated(alice, client):
    for _n in range(26):
        request_file(alice)
    client.force_login(alice)
    page = client.get(reverse("files:list")).context["page"]
    assert (len(page.object_list), page.paginator.num_pages) == (25, 2)


def test_the_progress_page_refreshes_itself_until_the_file_is_ready(alice, client):
    client.force_login(alice)
    job = request_file(alice)
    waiting = client.get(reverse("files:detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in waiting
    assert reverse("files:download", args=[job.pk]) not in waiting
    job = built(alice)
    ready = client.get(reverse("files:detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in ready
    assert reverse("files:download", args=[job.pk]) in ready
    assert "东湖区民政局" in ready  # the filters it was asked with


def test_the_progress_page_shows_a_failure_and_offers_to_start_again(alice, client):
    client.force_login(alice)
    job = built(alice, kind="tests.refused")
    page = client.get(reverse("files:detail", args=[job.pk])).content.decode()
    assert "你已无权查看这些记录。" in page
    assert 'http-equiv="refresh"' not in page
    assert reverse("files:retry", args=[job.pk]) in page
    response = client.post(reverse("files:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.attempt, job.error) == (Status.QUEUED, 2, "")


def test_a_stopped_build_stops_refreshing_and_offers_to_start_again(alice, client):
    client.force_login(alice)
    job = stalled(request_file(alice))
    page = client.get(reverse("files:detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert reverse("files:retry", args=[job.pk]) in page


def test_another_users_file_is_not_found(alice, bob, client):
    job = built(alice)
    client.force_login(bob)
    for name in ("files:detail", "files:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("files:retry", args=[job.pk])).status_code == 404


# Download --------------------------------------------------------------------------------------


def test_the_owner_downloads_the_file_as_a_private_attachment(alice, client):
    job = built(alice)
    client.force_login(alice)
    response = client.get(reverse("files:download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"3 rows"
    assert response["Content-Disposition"] == 'attachment; filename="rows.txt"'
    assert response["Content-Type"] == "text/plain"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    job.refresh_from_db()
    assert job.downloaded_at is not None


def test_anonymous_visitors_are_sent_to_log_in(alice, client):
    job = built(alice)
    response = client.get(reverse("files:download", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_expired_file_is_gone(alice, client):
    job = built(alice)
    GeneratedFile.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    client.force_login(alice)
    response = client.get(reverse("files:download", args=[job.pk]))
    assert response.status_code == 410
    assert "files/gone.html" in [t.name for t in response.templates]


def test_a_file_not_ready_sends_the_owner_to_its_progress_page(alice, client):
    job = request_file(alice)
    client.force_login(alice)
    response = client.get(reverse("files:download", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("files:detail", args=[job.pk])


# The header ------------------------------------------------------------------------------------


def test_the_header_counts_the_files_ready_and_not_downloaded(alice, client):
    built(alice)
    job = built(alice)
    request_file(alice)  # not ready: not counted
    assert ready_count(alice) == 2
    client.force_login(alice)
    page = client.get(reverse("files:list")).content.decode()
    assert f'<a href="{reverse("files:list")}">' in page
    assert page.count('<span class="badge badge--info" title=') == 1
    assert ">2</span></a>" in page  # the two files ready, not the one being built
    client.get(reverse("files:download", args=[job.pk]))
    assert ready_count(alice) == 1
    GeneratedFile.objects.filter(owner=alice).update(expires_at=timezone.now())
    assert ready_count(alice) == 0


def test_the_header_count_takes_one_query_and_only_when_shown(alice, rf):
    request = rf.get("/")
    request.user = alice
    request.session = {WATCH_FILES: True}
    with CaptureQueriesContext(connection) as queries:
        context = files_ready(request)
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert str(context["files_ready"]) == "0"
        assert not context["files_ready"]
    assert len(queries) == 1 and "core_generatedfile" in queries[0]["sql"]


def test_a_session_that_asked_for_no_file_pays_no_query_for_the_header(alice, rf, client):
    request = rf.get("/")
    request.user = alice
    request.session = {}
    with CaptureQueriesContext(connection) as queries:
        assert files_ready(request) == {}
    assert len(queries) == 0
    # A login with nothing waiting does not watch; asking for a file does.
    client.force_login(alice)
    assert WATCH_FILES not in client.session
    built(alice)
    client.force_login(alice)
    assert client.session[WATCH_FILES] is True


def test_anonymous_visitors_get_no_count(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    assert files_ready(request) == {}


# Admin -----------------------------------------------------------------------------------------


def test_the_admin_lists_the_files_read_only(alice, admin_client):
    job = built(alice)
    listing = admin_client.get(reverse("admin:core_generatedfile_changelist"))
    assert listing.status_code == 200 and "测试导出" in listing.content.decode()
    assert admin_client.get(reverse("admin:core_generatedfile_add")).status_code == 403
    detail = admin_client.get(reverse("admin:core_generatedfile_change", args=[job.pk]))
    assert detail.status_code == 200 and "东湖区民政局" in detail.content.decode()
