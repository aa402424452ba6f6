"""The incident API (``/api/v1/``): incidents in the user's scope with their stage reports; an
institution (or a rescue station) files the initial report through the page's form, the
incident policy and ``services.incident_report`` (the receipt time is the server's)."""

from django import forms
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from audit_portal.api.views import ScopedViewSet, form_or_error, like_form
from incidents import selectors, services
from incidents.filters import IncidentFilter
from incidents.forms import InitialReportForm
from incidents.models import Incident, Kind, Report
from incidents.policies import incident_policy

REPORT_FIELDS = [
    "id",
    "stage",
    "amends",
    "amendment_reason",
    "submitted_at",
    "place",
    "source",
    "account",
    "impact_scope",
    "damage_estimate",
    "onsite_rescue",
    "measures",
    "casualties",
    "latest_impact",
    "major_changes",
    "measures_effect",
    "next_steps",
    "event_time",
    "cause",
    "course",
    "injured_count",
    "injury_severity",
    "handling",
    "deaths",
    "serious_injuries",
    "direct_loss",
    "missing_count",
]


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = REPORT_FIELDS
        read_only_fields = fields


class IncidentSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(
        source="institution.name", read_only=True, allow_null=True, default=None
    )
    reports = ReportSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "institution",
            "institution_name",
            "station",
            "kind",
            "occurred_at",
            "discovered_at",
            "status",
            "reported_at",
            "late_minutes",
            "deaths",
            "serious_injuries",
            "direct_loss",
            "missing_count",
            "grade",
            "resident_found_at",
            "over_at",
            "final_due_on",
            "closed_at",
            "reports",
        ]
        read_only_fields = fields


class InitialReportSerializer(serializers.Serializer):
    """The initial report (初报): when, where, what, and the first figures. A police record,
    when one is owed and already made, may come with it (time, station and case number)."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    occurred_at = like_form(serializers.DateTimeField, forms.DateTimeField)
    discovered_at = like_form(serializers.DateTimeField, forms.DateTimeField)
    place = like_form(serializers.CharField)
    source = like_form(serializers.CharField)
    account = like_form(serializers.CharField)
    impact_scope = like_form(serializers.CharField)
    damage_estimate = like_form(serializers.CharField)
    onsite_rescue = like_form(serializers.CharField)
    measures = like_form(serializers.CharField)
    deaths = like_form(serializers.IntegerField, forms.IntegerField)
    serious_injuries = like_form(serializers.IntegerField, forms.IntegerField)
    direct_loss = like_form(
        serializers.DecimalField, forms.DecimalField, max_digits=14, decimal_places=2
    )
    missing_count = like_form(serializers.IntegerField, forms.IntegerField)
    police_reported_at = like_form(
        serializers.DateTimeField, forms.DateTimeField, required=False, allow_null=True
    )
    police_station = like_form(serializers.CharField, required=False)
    case_number = like_form(serializers.CharField, required=False)
    resident_found_at = like_form(
        serializers.DateTimeField, forms.DateTimeField, required=False, allow_null=True
    )


class IncidentViewSet(ScopedViewSet):
    filterset_class = IncidentFilter
    ordering_fields = ["occurred_at", "reported_at", "grade", "id"]
    ordering = ["-occurred_at", "-id"]

    def check_area(self, user) -> None:
        # As the pages: users who may not read incidents find no incident pages (404).
        if not user.has_perm("incidents.view_incident"):
            raise exceptions.NotFound

    def get_serializer_class(self):
        return InitialReportSerializer if self.action == "create" else IncidentSerializer

    def scope(self, user):
        return selectors.incidents_for(user).prefetch_related(
            Prefetch("reports", queryset=Report.objects.order_by("submitted_at", "pk"))
        )

    @extend_schema(request=InitialReportSerializer, responses={201: IncidentSerializer})
    def create(self, request):
        """File the initial report of a new incident at the user's institution or station."""
        institution, station = selectors.reporting_places(request.user)
        incident_policy.require_report_for(request.user, institution=institution, station=station)
        payload = InitialReportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        # The page's form on the values as sent: the same fields, the same refusals.
        sent = {name: request.data.get(name) for name in payload.fields}
        form = InitialReportForm({k: ("" if v is None else v) for k, v in sent.items()})
        data = form_or_error(form)
        incident = services.incident_report(
            actor=request.user,
            institution=institution,
            station=station,
            kind=data["kind"],
            occurred_at=data["occurred_at"],
            discovered_at=data["discovered_at"],
            fields=form.stage_data(),
            figures=form.figures(),
            police=form.police(),
            resident_found_at=data.get("resident_found_at"),
        )
        incident = self.scope(request.user).get(pk=incident.pk)
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)


ROUTES = [("incidents", IncidentViewSet, "incident")]
