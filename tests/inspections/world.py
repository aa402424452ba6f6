"""Institutions in the shared test world.

- ``institution_a``: county A, eligible, placed with by the station (active agreement); the
  institution user's own institution.
- ``institution_b``: county B, eligible, no agreement with the station.
"""

from guardian.shortcuts import assign_perm

from tests.inspections.factories import AgreementFactory, InstitutionFactory, make_eligible


def extend(world) -> None:
    a = make_eligible(InstitutionFactory(name="东湖区社会福利院", county=world.county_a))
    b = make_eligible(InstitutionFactory(name="西山县颐养院", county=world.county_b))
    agreement = AgreementFactory(station=world.station, institution=a)
    user = world.users["institution_user"]
    user.institution = a
    user.save()
    assign_perm("inspections.view_institution", user, a)
    world.extra.update(institution_a=a, institution_b=b, agreement_a=agreement)


def extend_evidence(world) -> None:
    """A scanned document of institution A, for the download permission checks."""
    from audit_portal.core.evidence import evidence_attach
    from tests.files import pdf_upload

    document = world.institution_a.documents.first()
    evidence = evidence_attach(
        owner=document, upload=pdf_upload(), actor=world.users["county_a_staff"]
    )
    world.extra.update(document_a=document, evidence_a=evidence)


EXTENSIONS = [extend, extend_evidence]
