"""The open day's public API (``/api/v1/open-day-summaries/``): the published summaries and the
versions they replaced, as the public pages show them. No authentication: aggregates only,
nothing that identifies a resident; limited per client address."""

import django_filters
from django.db.models import Prefetch
from rest_framework import serializers

from audit_portal.api.filters import YearFilter
from audit_portal.api.throttles import AnonymousRateThrottle
from audit_portal.api.views import ScopedViewSet
from openday.models import Summary, SummaryEntry


class EntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = SummaryEntry
        fields = ["institution", "name", "county_name", "kind", "address", "figures", "narrative"]
        read_only_fields = fields


class PublicSummarySerializer(serializers.ModelSerializer):
    entries = EntrySerializer(many=True, read_only=True)

    class Meta:
        model = Summary
        fields = [
            "id",
            "year",
            "version",
            "status",
            "period_start",
            "period_end",
            "published_at",
            "replaced_at",
            "correction_reason",
            "area",
            "entries",
        ]
        read_only_fields = fields


class SummaryFilter(django_filters.FilterSet):
    year = YearFilter()
    status = django_filters.ChoiceFilter(choices=Summary.Status.choices)

    class Meta:
        model = Summary
        fields: list[str] = []


class PublicSummaryViewSet(ScopedViewSet):
    public = True
    authentication_classes = ()
    permission_classes = ()
    throttle_classes = (AnonymousRateThrottle,)
    serializer_class = PublicSummarySerializer
    filterset_class = SummaryFilter
    ordering_fields = ["year", "version", "published_at"]
    ordering = ["-year", "-version"]

    def scope(self, user):
        # The public pages' rule (selectors.public_summary): what the public may read.
        return Summary.objects.filter(status__in=Summary.PUBLIC).prefetch_related(
            Prefetch("entries", queryset=SummaryEntry.objects.order_by("county_name", "name"))
        )


ROUTES = [("open-day-summaries", PublicSummaryViewSet, "open-day-summary")]
