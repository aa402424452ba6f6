"""The signing page of an inspection (签字留痕): only its team, while it is in progress.
World: ``draft_a`` in progress, led by county A staff at institution A."""

import base64

from tests.inspections.factories import signature_png
from tests.matrix import Entry, logged_in
from tests.matrix.inspection_pages import TEAM_ONLY, pk


def _signature(world):
    return {
        "signer": str(world.users["county_a_staff"].pk),
        "signature": "data:image/png;base64," + base64.b64encode(signature_png()).decode(),
    }


ENTRIES = [
    Entry("inspections:inspection_sign", logged_in(200, **TEAM_ONLY), kwargs=pk("draft_a")),
    Entry(
        "inspections:inspection_sign",
        logged_in(302, **TEAM_ONLY),
        kwargs=pk("draft_a"),
        method="post",
        data=_signature,
    ),
    Entry(
        "inspections:inspection_sign_refusal",
        logged_in(302, **TEAM_ONLY),
        kwargs=pk("draft_a"),
        method="post",
        data=lambda w: {"refusal-signer_name": "王院长", "refusal-reason": "对第3项结论有异议"},
    ),
]
