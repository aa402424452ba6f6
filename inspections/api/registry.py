"""Institutions (with their eligibility on a date), qualification documents, custody agreements
with their placements, checklist templates."""

import datetime

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from audit_portal.api.filters import IdChoiceFilter, IdFilter, like
from audit_portal.api.views import ScopedViewSet
from inspections.filters import InstitutionFilter
from inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    CustodyAgreement,
    DocumentKind,
    Institution,
    Placement,
    QualificationDocument,
)
from inspections.selectors import agreements_for, documents_for, institutions_for, with_eligibility
from inspections.services.imports import (
    ImportNotClean,
    ImportPreview,
    institutions_import,
    institutions_import_preview,
    require_import,
)

# Institutions -----------------------------------------------------------------------------------


class ConditionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField()
    detail = serializers.CharField()


class EligibilitySerializer(serializers.Serializer):
    on = serializers.DateField()
    eligible = serializers.BooleanField()
    checks = ConditionSerializer(many=True)


class InstitutionSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)
    eligibility = serializers.SerializerMethodField()

    class Meta:
        model = Institution
        fields = [
            "id",
            "name",
            "credit_code",
            "kind",
            "legal_representative",
            "address",
            "county",
            "county_name",
            "bed_capacity",
            "operation_started_on",
            "contact_person",
            "contact_phone",
            "status",
            "status_changed_at",
            "created_at",
            "eligibility",
        ]
        read_only_fields = fields

    @extend_schema_field(EligibilitySerializer)
    def get_eligibility(self, institution: Institution) -> dict:
        # The model's rule on the prefetched documents: no query per row.
        eligibility = institution.eligibility(
            self.context["on"], documents=list(institution.documents.all())
        )
        return EligibilitySerializer(
            {"on": eligibility.on, "eligible": eligibility.eligible, "checks": eligibility.checks}
        ).data


class ApiInstitutionFilter(InstitutionFilter):
    county = like(InstitutionFilter, "county", IdChoiceFilter)


ON = OpenApiParameter(
    "on",
    OpenApiTypes.DATE,
    description="The day the eligibility is judged on (default: today); the `eligible` filter "
    "uses the same day.",
)


class ImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The workbook, in the import page's template format.")
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Only check the rows; import nothing."
    )


class ImportErrorSerializer(serializers.Serializer):
    column = serializers.CharField()
    message = serializers.CharField()


class ImportRowSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(help_text="The row number Excel shows.")
    ok = serializers.BooleanField()
    errors = ImportErrorSerializer(many=True)


class ImportPreviewSerializer(serializers.Serializer):
    filename = serializers.CharField()
    clean = serializers.BooleanField()
    rows = ImportRowSerializer(many=True)


class ImportReportSerializer(serializers.Serializer):
    filename = serializers.CharField()
    institutions = serializers.ListField(child=serializers.IntegerField())
    documents = serializers.ListField(child=serializers.IntegerField())


def preview_data(preview: ImportPreview) -> dict:
    return {
        "filename": preview.filename,
        "clean": preview.is_clean,
        "rows": [
            {
                "sheet": row.sheet,
                "row": row.number,
                "ok": row.ok,
                "errors": [
                    {"column": str(error.column), "message": str(error.message)}
                    for error in row.errors
                ],
            }
            for row in preview.rows
        ],
    }


@extend_schema_view(list=extend_schema(parameters=[ON]), retrieve=extend_schema(parameters=[ON]))
class InstitutionViewSet(ScopedViewSet):
    serializer_class = InstitutionSerializer
    filterset_class = ApiInstitutionFilter
    view_perm = "inspections.view_institution"
    ordering_fields = ["name", "operation_started_on", "status", "created_at", "id"]
    ordering = ["name", "id"]

    def on(self) -> datetime.date:
        value = self.request.query_params.get("on")
        if not value:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise exceptions.ValidationError({"on": [_("Enter a date as YYYY-MM-DD.")]}) from None

    def scope(self, user):
        return (
            with_eligibility(institutions_for(user), self.on())
            .select_related("county")
            .prefetch_related("documents")
        )

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "on": self.on()}

    @extend_schema(
        request={"multipart/form-data": ImportInputSerializer},
        responses={200: ImportPreviewSerializer, 201: ImportReportSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        url_path="import",
        url_name="import",
    )
    def import_workbook(self, request):
        """Import institutions and their qualification documents from an .xlsx workbook (the
        import page's template), through the page's service: every row checked, then all rows
        or none. With ``dry_run`` only the check (200); a file with errors is a 400 whose
        ``rows`` name each row's errors; an import is a 201 listing what was created."""
        require_import(request.user)  # who may not import hears so before any file check
        data = ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if data.validated_data["dry_run"]:
            preview = institutions_import_preview(file=upload, actor=request.user)
            return Response(preview_data(preview))
        try:
            report = institutions_import(file=upload, actor=request.user)
        except ImportNotClean as refused:
            return Response(
                {
                    "code": "import_not_clean",
                    "message": refused.messages[0].split("\n")[0],
                    "fields": {},
                    **preview_data(refused.preview),
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                "filename": report.filename,
                "institutions": [institution.pk for institution in report.institutions],
                "documents": [document.pk for document in report.documents],
            },
            status=status.HTTP_201_CREATED,
        )


# Documents --------------------------------------------------------------------------------------


class DocumentFilter(django_filters.FilterSet):
    institution = IdFilter(field_name="institution_id")
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices)
    status = django_filters.ChoiceFilter(choices=QualificationDocument.Status.choices)

    class Meta:
        model = QualificationDocument
        fields: list[str] = []


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = QualificationDocument
        fields = [
            "id",
            "institution",
            "kind",
            "number",
            "issuer",
            "valid_from",
            "valid_until",
            "replaces",
            "status",
            "submitted_at",
            "reviewed_at",
            "rejection_reason",
        ]
        read_only_fields = fields


class DocumentViewSet(ScopedViewSet):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = ["valid_until", "valid_from", "submitted_at", "id"]
    ordering = ["institution_id", "kind", "-valid_from", "id"]

    def scope(self, user):
        return documents_for(user)


# Agreements -------------------------------------------------------------------------------------


class PlacementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Placement
        fields = ["id", "starts_on", "people", "category", "note", "created_at"]
        read_only_fields = fields


class AgreementSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    placements = PlacementSerializer(many=True, read_only=True)

    class Meta:
        model = CustodyAgreement
        fields = [
            "id",
            "number",
            "station",
            "station_name",
            "institution",
            "starts_on",
            "ends_on",
            "agreed_places",
            "categories",
            "fee_basis",
            "status",
            "activated_at",
            "created_at",
            "placements",
        ]
        read_only_fields = fields


class AgreementFilter(django_filters.FilterSet):
    institution = IdFilter(field_name="institution_id")
    status = django_filters.ChoiceFilter(choices=CustodyAgreement.Status.choices)

    class Meta:
        model = CustodyAgreement
        fields: list[str] = []


class AgreementViewSet(ScopedViewSet):
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    ordering_fields = ["starts_on", "ends_on", "number", "id"]
    ordering = ["-starts_on", "id"]

    def scope(self, user):
        return agreements_for(user).prefetch_related(
            Prefetch("placements", queryset=Placement.objects.order_by("starts_on", "pk"))
        )


# Checklist templates ----------------------------------------------------------------------------


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "area", "position", "text", "guidance", "critical"]
        read_only_fields = fields


class ChecklistTemplateSerializer(serializers.ModelSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = [
            "id",
            "code",
            "version",
            "name",
            "description",
            "status",
            "previous",
            "created_at",
            "items",
        ]
        read_only_fields = fields


class ChecklistTemplateFilter(django_filters.FilterSet):
    code = django_filters.CharFilter()
    status = django_filters.ChoiceFilter(choices=ChecklistTemplate.Status.choices)

    class Meta:
        model = ChecklistTemplate
        fields: list[str] = []


class ChecklistTemplateViewSet(ScopedViewSet):
    """Every version (the checklist is the area's, as on the pages), for whoever may read them."""

    serializer_class = ChecklistTemplateSerializer
    filterset_class = ChecklistTemplateFilter
    view_perm = "inspections.view_checklisttemplate"
    perm_on_objects = True
    ordering_fields = ["code", "version", "created_at", "id"]
    ordering = ["code", "-version"]

    def scope(self, user):
        return ChecklistTemplate.objects.prefetch_related(
            Prefetch("items", queryset=ChecklistItem.objects.order_by("area", "position", "pk"))
        )


ROUTES = [
    ("institutions", InstitutionViewSet, "institution"),
    ("documents", DocumentViewSet, "document"),
    ("agreements", AgreementViewSet, "agreement"),
    ("checklist-templates", ChecklistTemplateViewSet, "checklist-template"),
]
