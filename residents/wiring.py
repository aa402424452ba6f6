"""The answers the residents app gives to the questions the inspections app asks
(``inspections/hooks.py``), connected from ``ResidentsConfig.ready``."""


def connect() -> None:
    from audit_portal.core.files.registry import register_builder
    from inspections import hooks
    from residents import exports, figures, selectors, visits

    # The monthly reports are pre-filled from the records and checked against them.
    hooks.resident_figures.answer_with(figures.resident_figures)
    # A placement (counts) and the residents on record share the agreed places.
    hooks.residents_in_care.answer_with(selectors.in_care_count)
    # The monthly visit's page links to the residents seen.
    hooks.inspection_links.answer_with(visits.inspection_links)
    # The ledgers in Excel: names of people, so every download is logged.
    register_builder(exports.RESIDENTS_KIND, exports.build_resident_ledger, personal_data=True)
    register_builder(exports.RETURNS_KIND, exports.build_return_ledger, personal_data=True)
