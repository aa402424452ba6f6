"""Inspections with their item results; issues with their rectification steps and deadline
extensions; an institution answers an issue with its rectification and evidence (multipart),
through the page's form, the issue policy and ``services.issues.rectification_submit``."""

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from audit_portal.api.filters import IdFilter
from audit_portal.api.views import ScopedViewSet, form_or_error
from inspections.filters import InspectionFilter
from inspections.forms.inspections import RectificationForm
from inspections.models import (
    DeadlineExtension,
    Inspection,
    Issue,
    ItemResult,
    Rectification,
)
from inspections.policies import issue_policy
from inspections.selectors.inspections import inspections_for, issues_for, ledger_filter
from inspections.services import issues as services

# Inspections ------------------------------------------------------------------------------------


class ItemResultSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="item.area", read_only=True)
    text = serializers.CharField(source="item.text", read_only=True)
    critical = serializers.BooleanField(source="item.critical", read_only=True)

    class Meta:
        model = ItemResult
        fields = ["id", "item", "area", "text", "critical", "result", "note", "recorded_at"]
        read_only_fields = fields


INSPECTION_FIELDS = [
    "id",
    "institution",
    "kind",
    "template",
    "agreement",
    "status",
    "planned_on",
    "performed_on",
    "lead",
    "summary",
    "residents_seen",
    "comment_deadline",
    "institution_comment",
    "institution_commented_at",
    "submitted_at",
    "finalised_at",
    "created_at",
]


class InspectionSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = Inspection
        fields = [*INSPECTION_FIELDS, "institution_name"]
        read_only_fields = fields


class InspectionDetailSerializer(InspectionSerializer):
    results = ItemResultSerializer(many=True, read_only=True)

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "results"]
        read_only_fields = fields


class InspectionViewSet(ScopedViewSet):
    filterset_class = InspectionFilter
    view_perm = "inspections.view_inspection"
    ordering_fields = ["planned_on", "performed_on", "status", "created_at", "id"]
    ordering = ["-planned_on", "-id"]

    def get_serializer_class(self):
        return InspectionDetailSerializer if self.action == "retrieve" else InspectionSerializer

    def scope(self, user):
        inspections = inspections_for(user)
        if self.action == "retrieve":
            inspections = inspections.prefetch_related(
                Prefetch(
                    "results",
                    queryset=ItemResult.objects.select_related("item").order_by(
                        "item__area", "item__position", "pk"
                    ),
                )
            )
        return inspections


# Issues -----------------------------------------------------------------------------------------


class RectificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rectification
        fields = ["id", "plan", "submitted_at", "decision", "decided_at", "decision_reason"]
        read_only_fields = fields


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlineExtension
        fields = [
            "id",
            "requested_deadline",
            "deadline_before",
            "reason",
            "requested_at",
            "decision",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields


class IssueSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    rectifications = RectificationSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)

    class Meta:
        model = Issue
        fields = [
            "id",
            "number",
            "institution",
            "institution_name",
            "inspection",
            "area",
            "description",
            "severity",
            "responsible_person",
            "status",
            "raised_on",
            "rectification_days",
            "original_deadline",
            "deadline",
            "deadline_official",
            "closed_on",
            "rectifications",
            "extensions",
        ]
        read_only_fields = fields


class IssueFilter(django_filters.FilterSet):
    """The issue ledger's filters (``selectors.inspections.ledger_filter``)."""

    institution = IdFilter(method="filter_ledger")
    area = django_filters.ChoiceFilter(
        choices=Issue._meta.get_field("area").choices, method="filter_ledger"
    )
    severity = django_filters.ChoiceFilter(choices=Issue.Severity.choices, method="filter_ledger")
    status = django_filters.ChoiceFilter(
        choices=[("unclosed", "unclosed"), *Issue.Status.choices], method="filter_ledger"
    )
    overdue = django_filters.BooleanFilter(method="filter_ledger")

    class Meta:
        model = Issue
        fields: list[str] = []

    def filter_ledger(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        if name == "institution":
            return queryset.filter(institution_id=value)
        if name == "overdue":
            return ledger_filter(queryset, on=timezone.localdate(), overdue=bool(value))
        return ledger_filter(queryset, on=timezone.localdate(), **{name: value})


class RectificationInputSerializer(serializers.Serializer):
    plan = serializers.CharField(max_length=5000)
    evidence = serializers.ListField(
        child=serializers.FileField(), help_text="JPEG, PNG or PDF, at most 20 MB each."
    )


class IssueViewSet(ScopedViewSet):
    serializer_class = IssueSerializer
    filterset_class = IssueFilter
    view_perm = "inspections.view_issue"
    ordering_fields = ["deadline", "raised_on", "number", "status", "id"]
    ordering = ["deadline", "id"]

    def scope(self, user):
        return issues_for(user).prefetch_related(
            Prefetch("rectifications", queryset=Rectification.objects.order_by("submitted_at")),
            Prefetch("extensions", queryset=DeadlineExtension.objects.order_by("requested_at")),
        )

    @extend_schema(
        request={"multipart/form-data": RectificationInputSerializer},
        responses={201: RectificationSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        url_path="rectifications",
    )
    def rectify(self, request, pk=None):
        """Answer the issue with what was done and the evidence (the institution's accounts)."""
        issue = self.get_object()
        issue_policy.require_role("rectify", request.user, issue)
        # The page's form: the same fields, the same refusals.
        data = form_or_error(
            RectificationForm({"plan": request.data.get("plan", "")}, request.FILES)
        )
        rectification = services.rectification_submit(
            issue=issue, actor=request.user, plan=data["plan"], uploads=data["evidence"]
        )
        return Response(RectificationSerializer(rectification).data, status=status.HTTP_201_CREATED)


ROUTES = [
    ("inspections", InspectionViewSet, "inspection"),
    ("issues", IssueViewSet, "issue"),
]
