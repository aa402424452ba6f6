"""Schemathesis against a live server: every operation of the schema, for two personas (city
staff and an institution, each with its token), with schemathesis's checks: no server error, and
every response (status, content type, headers, body) as the schema says. Bounded: a few examples
per operation, each detail operation also on a record that exists."""

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from tests.world import build_world

EXAMPLES = 4
# Checks that judge data the rules refuse although the schema allows it (a month not begun,
# a figure that contradicts another, a file that is not what its name says): the API answers
# those with the documented 400, which these checks read as a failure.
EXCLUDED = [positive_data_acceptance]


def existing_ids(world) -> dict[str, int]:
    return {
        "/api/v1/institutions/{id}/": world.institution_a.pk,
        "/api/v1/documents/{id}/": world.document_a.pk,
        "/api/v1/agreements/{id}/": world.agreement_a.pk,
        "/api/v1/checklist-templates/{id}/": world.inspection_a.template_id,
        "/api/v1/inspections/{id}/": world.inspection_a.pk,
        "/api/v1/issues/{id}/": world.issue_a.pk,
        "/api/v1/issues/{id}/rectifications/": world.issue_a.pk,
        "/api/v1/monthly-reports/{id}/": world.monthly_report_a.pk,
        "/api/v1/incidents/{id}/": world.incident_a.pk,
        "/api/v1/residents/{id}/": world.resident_a.pk,
        "/api/v1/supervisors/{id}/": world.supervisor_record.pk,
        "/api/v1/supervision-groups/{id}/": world.group.pk,
        "/api/v1/assignments/{id}/": world.ended_assignment.pk,
        "/api/v1/open-day-summaries/{id}/": world.summary.pk,
    }


def fuzzer(strategy, *, base_url: str, headers: dict, answers: list):
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call_and_validate(
            base_url=base_url, headers=headers, excluded_checks=EXCLUDED
        )
        answers.append((case.operation.label, response.status_code))

    return run


# Serialized: the tables the test leaves empty are filled again after it (tests/api/conftest.py).
@pytest.mark.django_db(transaction=True)
def test_every_operation_answers_as_the_schema_says(live_server, settings_override):
    started = time.monotonic()
    world = build_world()
    built = time.monotonic() - started
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    checks_run = []
    answers: list[tuple[str, int]] = []
    ids = existing_ids(world)
    tokens = {
        "city_staff": world.api_token_city_raw,
        "institution_user": world.api_token_institution_raw,
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for persona, token in tokens.items():
        headers = {"Authorization": f"Bearer {token}"}
        for operation in operations:
            strategy = operation.as_strategy()
            if operation.path in ids:
                strategy = st.one_of(
                    strategy, operation.as_strategy(path_parameters={"id": ids[operation.path]})
                )

            run = fuzzer(strategy, base_url=live_server.url, headers=headers, answers=answers)
            try:
                run()
            except Exception as error:
                raise AssertionError(f"{persona} {operation.label}: {error}") from error
            checks_run.append(operation.label)
    assert len(set(checks_run)) == len(operations)
    # The records that exist were read, and some writes went through.
    statuses = {status for _label, status in answers}
    assert {200, 400, 404} <= statuses, statuses
    print(f"world {built:.1f} s, {len(answers)} requests: {sorted(statuses)}")
    elapsed = time.monotonic() - started
    assert elapsed - built < 45, f"the fuzzing took {elapsed - built:.0f} s"


@pytest.fixture
def settings_override(settings):
    # The fuzzing sends far more requests a minute than a client may.
    settings.AUDIT_RULES_OVERRIDES = {"api_requests_per_minute": 100_000}
