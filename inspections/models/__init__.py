from inspections.models.registry import (
    CustodyAgreement,
    DocumentKind,
    Institution,
    Placement,
    QualificationDocument,
    ResidentCategory,
)

__all__ = [
    "CustodyAgreement",
    "DocumentKind",
    "Institution",
    "Placement",
    "QualificationDocument",
    "ResidentCategory",
]
