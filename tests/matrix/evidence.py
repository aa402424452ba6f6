from tests.matrix import Entry, expect

ENTRIES = [
    # A scan of institution A's document: whoever may see institution A may download it.
    Entry(
        "evidence_download",
        expect(200, anonymous=404, county_b_staff=404, supervisor=404),
        kwargs=lambda w: {"pk": w.evidence_a.pk},
    ),
]
