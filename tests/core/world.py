"""Generated files in the shared test world.

- ``generated_file``: an export of county A staff, ready and not yet downloaded.
"""

from tests.file_jobs import ready_file


def extend(world) -> None:
    world.extra.update(
        generated_file=ready_file(
            owner=world.users["county_a_staff"],
            content=b"PK\x03\x04 not really a workbook",
            filename="issue-ledger-20260928.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            title="问题台账（Excel）",
        )
    )
