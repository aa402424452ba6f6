"""Monthly status reports with their lines; an institution files its report for a month (the
page's form, the report policy, ``services.reports``: saved, then submitted)."""

import datetime

from django import forms
from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from audit_portal.api.errors import NON_FIELD
from audit_portal.api.filters import MONTH, IdChoiceFilter, like
from audit_portal.api.views import ScopedViewSet, like_form
from inspections.filters import MonthFilter, MonthlyReportFilter
from inspections.forms.reports import MonthField, ReportForm, SubmitForm
from inspections.models import MonthlyReport, MonthlyReportLine, ResidentCategory
from inspections.models.reports import FIGURES
from inspections.selectors.reports import filing_institution, reports_for
from inspections.services import reports as services


class LineSerializer(serializers.ModelSerializer):
    class Meta:
        model = MonthlyReportLine
        fields = ["category", *FIGURES]
        read_only_fields = fields


class MonthlyReportSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    lines = LineSerializer(many=True, read_only=True)

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "institution",
            "institution_name",
            "month",
            "status",
            "due_on",
            "staff_on_duty",
            "notes",
            "explanation",
            "created_at",
            "first_submitted_at",
            "days_late",
            "submitted_at",
            "reviewed_at",
            "return_reason",
            "amendment_count",
            "amendment_reason",
            "lines",
        ]
        read_only_fields = fields


# The figures of one category, as the form takes them (the form decides what is valid).
FiguresSerializer = type(
    "FiguresSerializer",
    (serializers.Serializer,),
    {name: like_form(serializers.IntegerField, forms.IntegerField) for name in FIGURES},
)
LinesSerializer = type(
    "LinesSerializer",
    (serializers.Serializer,),
    {category.value: FiguresSerializer() for category in ResidentCategory},
)


class FileReportSerializer(serializers.Serializer):
    month = like_form(
        serializers.CharField,
        help_text="The month reported, YYYY-MM (this month or an earlier one).",
    )
    staff_on_duty = like_form(serializers.IntegerField, forms.IntegerField)
    notes = like_form(serializers.CharField, required=False, default="")
    lines = LinesSerializer(help_text="The figures of every resident category.")
    explanation = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Explains the discrepancies the checks flag (they do not stop the report).",
    )
    submit = serializers.BooleanField(
        required=False, default=True, help_text="False keeps the report as a draft."
    )


@extend_schema_field(MONTH)
class ApiMonthFilter(MonthFilter):
    pass


class ApiMonthlyReportFilter(MonthlyReportFilter):
    """The staff list's filters; without a period, every month (the page shows the last month
    due by default, a client asks for what it wants)."""

    first = like(MonthlyReportFilter, "first", ApiMonthFilter)
    last = like(MonthlyReportFilter, "last", ApiMonthFilter)
    county = like(MonthlyReportFilter, "county", IdChoiceFilter)

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        values = self.values
        if not values.get("first") and not values.get("last"):
            return datetime.date(1900, 1, 1), datetime.date(9999, 12, 1)
        return super().period


def _form_errors(form) -> dict:
    """The form's errors with the figures under ``lines.<category>.<figure>``."""
    detail = {}
    for name, errors in form.errors.items():
        if "__" in name:
            category, figure = name.split("__", 1)
            key = f"lines.{category}.{figure}"
        else:
            key = NON_FIELD if name == "__all__" else name
        detail[key] = [str(error) for error in errors]
    return detail


class MonthlyReportViewSet(ScopedViewSet):
    filterset_class = ApiMonthlyReportFilter
    view_perm = "inspections.view_monthlyreport"
    ordering_fields = ["month", "due_on", "submitted_at", "status", "id"]
    ordering = ["-month", "id"]

    def get_serializer_class(self):
        return FileReportSerializer if self.action == "create" else MonthlyReportSerializer

    def scope(self, user):
        return reports_for(user).prefetch_related(
            Prefetch("lines", queryset=MonthlyReportLine.objects.order_by("pk"))
        )

    @extend_schema(request=FileReportSerializer, responses={201: MonthlyReportSerializer})
    def create(self, request):
        """File the institution's report for a month: saved, then submitted to the placing
        station (unless ``submit`` is false). Discrepancies do not stop it; they are flagged."""
        institution = filing_institution(request.user)
        if institution is None:
            raise exceptions.PermissionDenied
        payload = FileReportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            month = MonthField().clean(data["month"])
        except forms.ValidationError as error:
            raise exceptions.ValidationError({"month": error.messages}) from None
        form_data = {"staff_on_duty": data["staff_on_duty"], "notes": data["notes"]}
        for category, figures in data["lines"].items():
            for name, value in figures.items():
                form_data[f"{category}__{name}"] = value
        form = ReportForm(form_data)
        submit_form = SubmitForm({"explanation": data["explanation"]})
        if not form.is_valid() or not submit_form.is_valid():
            raise exceptions.ValidationError(_form_errors(form) | _form_errors(submit_form))
        with transaction.atomic():
            report = services.report_save_draft(
                institution=institution,
                month=month,
                actor=request.user,
                lines=form.lines(),
                **form.details(),
            )
            if data["submit"]:
                report = services.report_submit(
                    report=report,
                    actor=request.user,
                    explanation=submit_form.cleaned_data["explanation"],
                )
        report = self.scope(request.user).get(pk=report.pk)
        return Response(MonthlyReportSerializer(report).data, status=status.HTTP_201_CREATED)


ROUTES = [("monthly-reports", MonthlyReportViewSet, "monthly-report")]
