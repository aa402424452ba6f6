"""Nothing personal goes public: a narrative holding an identity number, a phone number or the
name of a person on record is refused when saved and when approved, naming what was found."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit_portal.core.disclosure import name_candidates, personal_data_in
from openday import services
from openday.models import Summary, SummaryEntry

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"  # a valid check character


def test_a_valid_identity_number_is_found_and_shown_masked():
    (finding,) = personal_data_in(f"入住老人身份证{ID_NUMBER}，已核实")
    assert ID_NUMBER not in str(finding)
    assert str(finding).endswith("110***********002X")


def test_an_eighteen_digit_figure_with_a_wrong_check_character_is_not_an_identity_number():
    assert personal_data_in("编号110105194912310021") == []


def test_mobile_and_landline_numbers_are_found():
    found = personal_data_in("联系电话 139-1234-5678 或 0871-65432100")
    assert [f.shown for f in found] == ["139****5678", "087*****2100"]


def test_figures_that_are_not_phone_numbers_pass():
    assert personal_data_in("2026年收住老人126人，床位460张，入住率86%") == []


def test_name_candidates_are_the_short_runs_of_chinese_characters():
    assert {"王小明", "小明", "王小"} <= name_candidates("探望王小明")


def test_a_narrative_naming_a_visitor_on_record_is_refused_with_the_name_masked(world):
    entry = world.draft.entries.first()
    with pytest.raises(ValidationError) as refused:
        services.entry_narrative(
            entry=entry, text="王小明参观后表示满意", actor=world.users["city_staff"]
        )
    message = " ".join(refused.value.messages)
    assert "王**" in message and "王小明" not in message
    entry.refresh_from_db()
    assert entry.narrative == ""


def test_a_narrative_with_an_identity_number_is_refused_through_the_page_and_kept_on_the_form(
    world, client_for
):
    entry = world.draft.entries.first()
    url = reverse("openday:entry_narrative", args=[world.draft.pk, entry.pk])
    text = f"住养人员身份证号{ID_NUMBER}"
    response = client_for("city_staff").post(url, {"text": text})
    assert response.status_code == 200
    assert response.context["form"]["text"].value() == text
    assert "身份证号码" in response.content.decode()
    entry.refresh_from_db()
    assert entry.narrative == ""


def test_a_clean_narrative_is_saved(world):
    entry = world.draft.entries.first()
    services.entry_narrative(
        entry=entry, text="全年运行平稳，无安全事故", actor=world.users["city_staff"]
    )
    entry.refresh_from_db()
    assert entry.narrative == "全年运行平稳，无安全事故"


def test_approval_checks_again_and_names_the_institution(world):
    draft = world.draft
    entry = draft.entries.first()
    # Written before the check existed (or before the person was on record).
    SummaryEntry.objects.filter(pk=entry.pk).update(narrative="请联系13912345678预约")
    with pytest.raises(ValidationError) as refused:
        services.summary_approve(summary=draft, actor=world.approver)
    assert entry.name in " ".join(refused.value.messages)
    draft.refresh_from_db()
    assert draft.status == Summary.Status.DRAFT


def test_an_editor_without_the_role_gets_403_whether_or_not_the_entry_exists(world, client_for):
    draft = world.draft
    entry = draft.entries.first()
    county = client_for("county_a_staff")
    existing = reverse("openday:entry_narrative", args=[draft.pk, entry.pk])
    missing = reverse("openday:entry_narrative", args=[draft.pk, 999_999])
    assert county.get(existing).status_code == county.get(missing).status_code == 403
