"""The Excel import of institutions. World: an upload of county A staff (one institution of
county A), theirs alone: another user's upload is a 404; roles that do not register
institutions get 403 before any upload is looked up."""

from tests.matrix import Entry, logged_in

# Who registers institutions: admin, city, counties (the institution registration page's rule).
IMPORTS = {"station_staff": 403, "supervisor": 403, "institution_user": 403}


def county_a_upload(world):
    from inspections.services.import_uploads import import_upload_store
    from tests.inspections.import_helpers import institution_row, upload, workbook

    kept = import_upload_store(
        file=upload(workbook([institution_row(world, 1)])), actor=world.users["county_a_staff"]
    )
    return {"pk": kept.pk}


ENTRIES = [
    Entry("inspections:institution_import", logged_in(200, **IMPORTS)),
    Entry("inspections:institution_import_template", logged_in(200, **IMPORTS)),
    Entry(
        "inspections:institution_import_preview",
        logged_in(404, county_a_staff=200, **IMPORTS),
        kwargs=county_a_upload,
    ),
    Entry(
        "inspections:institution_import_confirm",
        logged_in(404, county_a_staff=302, **IMPORTS),
        kwargs=county_a_upload,
        method="post",
    ),
]
