from tests.matrix import Entry, expect


def _photo_a(world):
    """The PNG institution A sent with ``rectification_a``: an image, so it has a thumbnail."""
    from audit_portal.core.evidence import evidence_for

    return {"pk": evidence_for(world.rectification_a).get().pk}


ENTRIES = [
    # A scan of institution A's document: whoever may see institution A may download it.
    Entry(
        "evidence_download",
        expect(200, anonymous=404, county_b_staff=404, supervisor=404),
        kwargs=lambda w: {"pk": w.evidence_a.pk},
    ),
    # The thumbnail of a photo: whoever may see its owner (institution A's rectification).
    Entry(
        "evidence_thumbnail",
        expect(200, anonymous=404, county_b_staff=404, supervisor=404),
        kwargs=_photo_a,
    ),
    # A PDF has no thumbnail, even for those who may download it.
    Entry(
        "evidence_thumbnail",
        expect(404),
        kwargs=lambda w: {"pk": w.evidence_a.pk},
        label="[pdf]",
    ),
]
