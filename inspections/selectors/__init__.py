"""Reads scoped to the asking user, one module per part of the app; the registry's
``institutions_for(user)`` is the root every institution-owned list starts from."""

from inspections.selectors.registry import (
    agreements_for,
    documents_expiring,
    documents_for,
    expiring_panel,
    institution_history,
    institutions_for,
    my_institution_panel,
    with_eligibility,
)

__all__ = [
    "agreements_for",
    "documents_expiring",
    "documents_for",
    "expiring_panel",
    "institution_history",
    "institutions_for",
    "my_institution_panel",
    "with_eligibility",
]
