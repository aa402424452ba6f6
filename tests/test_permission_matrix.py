import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import Entry, all_entries
from tests.unrendered import unrendered_pdfs
from tests.world import PERSONAS

# Django's own admin site guards itself (staff-only login); its generated URLs are covered by
# the admin:index entry rather than one entry per model.
EXCLUDED_NAMESPACES = {"admin"}
ENTRIES = all_entries()


def named_urls(patterns=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            names |= named_urls(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def urls_without_entry(url_names: set[str], entries: list[Entry]) -> set[str]:
    return url_names - {entry.name for entry in entries}


def test_every_named_url_has_a_matrix_entry():
    missing = urls_without_entry(named_urls(), ENTRIES)
    assert not missing, f"URLs with no entry in the permission matrix: {sorted(missing)}"


def test_a_url_without_an_entry_is_reported():
    assert urls_without_entry({"home", "new:page"}, ENTRIES) == {"new:page"}


def test_every_entry_names_a_real_url():
    stale = {entry.name for entry in ENTRIES} - named_urls() - {"admin:index"}
    assert not stale, f"Matrix entries for URLs that no longer exist: {sorted(stale)}"


@pytest.fixture
def unrendered_pdf():
    with unrendered_pdfs() as rendered:
        yield rendered


@pytest.fixture
def uncounted_header(monkeypatch):
    """The header's unread and to-do counts are counted afresh on every page of a test (the
    cache is emptied between tests, where a person's pages read them from it for a minute):
    ~60% of a matrix case. The matrix asks who may fetch a page; the counts are tested in
    ``tests/notices``."""
    monkeypatch.setattr(
        "audit_portal.notices.context_processors.counted", lambda user: {"unread": 0, "todo": 0}
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_persona_gets_expected_status(
    entry: Entry, persona: str, world, client_for, unrendered_pdf, uncounted_header
):
    client = client_for(persona)
    url = reverse(entry.name, kwargs=entry.kwargs(world)) + entry.query
    response = getattr(client, entry.method)(url, data=entry.data(world))
    assert response.status_code == entry.expect[persona], (
        f"{persona} {entry.method.upper()} {url}: got {response.status_code}, "
        f"expected {entry.expect[persona]}"
    )
    if url.endswith(".pdf") and response.status_code == 200:
        assert response["Content-Type"] == "application/pdf", url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body.startswith(b"%PDF"), url
        if url.startswith("/open-day/"):
            # The public PDFs are the files stored at publication: no public request renders.
            assert unrendered_pdf == [], url
        else:
            assert len(unrendered_pdf) == 1 and '<html lang="zh-CN">' in unrendered_pdf[0], url


def test_the_matrix_covers_pdf_urls():
    assert any(entry.name.endswith("_pdf") for entry in ENTRIES)
