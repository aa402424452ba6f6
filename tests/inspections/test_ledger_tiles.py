"""The issue ledger's count tiles count the issues in scope whatever the status filter (the
institution's default "not closed" list does not make "closed" read 0), and each tile lists
its issues."""

import pytest
from django.urls import reverse

from inspections.models import Issue
from inspections.services.issues import rectification_decide

pytestmark = pytest.mark.django_db

LEDGER = reverse("inspections:issue_ledger")


def _tiles(response) -> dict:
    assert response.status_code == 200
    return {str(tile["label"]): tile for tile in response.context["tiles"]}


def _close_one(world):
    rectification_decide(
        rectification=world.rectification_a, actor=world.users["county_a_staff"], accept=True
    )
    assert Issue.objects.get(pk=world.issue_a2.pk).status == Issue.Status.CLOSED


def test_the_closed_tile_counts_closed_issues_under_the_default_not_closed_list(world, client_for):
    _close_one(world)
    response = client_for("institution_user").get(LEDGER)
    # The list itself is the open issues ...
    assert all(not row.issue.is_closed for row in response.context["rows"])
    tiles = _tiles(response)
    # ... the tiles count them all.
    closed = next(tile for tile in tiles.values() if "status=closed" in tile["url"])
    assert closed["value"] == 1


def test_a_status_filter_narrows_the_list_not_the_tiles(world, client_for):
    _close_one(world)
    client = client_for("county_a_staff")
    everything = _tiles(client.get(LEDGER))
    closed_only = client.get(LEDGER, {"status": "closed"})
    for label, tile in _tiles(closed_only).items():
        assert tile["value"] == everything[label]["value"]


def test_each_tile_links_to_its_issues_keeping_the_other_filters(world, client_for):
    _close_one(world)
    client = client_for("county_a_staff")
    tiles = client.get(LEDGER, {"area": world.issue_a2.area, "status": "unclosed"}).context["tiles"]
    closed = next(tile for tile in tiles if "status=closed" in tile["url"])
    assert f"area={world.issue_a2.area}" in closed["url"]
    listed = client.get(LEDGER + closed["url"])
    assert {row.issue.pk for row in listed.context["rows"]} == {world.issue_a2.pk}
    everything = next(tile for tile in tiles if tile["url"].endswith("status="))
    assert "status=unclosed" not in everything["url"]
