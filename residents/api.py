"""The resident records in the API (``/api/v1/residents/``), read-only: the residents in the
user's scope (``selectors.residents_for``, as the pages), with the ID number masked and no
health notes. Users who read no resident records (supervisors) find no such resource (404);
a resident outside the scope is a 404. Writes go through the pages."""

from django_filters import rest_framework as filters
from rest_framework import exceptions, serializers

from audit_portal.api.views import ScopedViewSet
from residents import selectors
from residents.models import IdentityStep, Resident


class ResidentApiFilter(filters.FilterSet):
    in_care = filters.BooleanFilter(field_name="discharged_at", lookup_expr="isnull")

    class Meta:
        model = Resident
        fields = ["institution", "category", "identity_status", "in_care"]


class IdentityStepSerializer(serializers.ModelSerializer):
    # Blank until the step is done: the schema says so.
    outcome = serializers.ChoiceField(
        choices=IdentityStep.Outcome.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = IdentityStep
        fields = ["id", "kind", "started_at", "due_at", "done_at", "outcome"]
        read_only_fields = fields


class ResidentSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    agreement_number = serializers.CharField(source="agreement.number", read_only=True)
    id_number_masked = serializers.CharField(source="masked_id_number", read_only=True)
    # Blank while in care: the schema says so.
    discharge_kind = serializers.ChoiceField(
        choices=Resident.Discharge.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Resident
        fields = [
            "id",
            "name",
            "name_is_provisional",
            "sex",
            "birth_year",
            "category",
            "identity_status",
            "id_number_masked",
            "institution",
            "institution_name",
            "station",
            "station_name",
            "agreement",
            "agreement_number",
            "admitted_at",
            "long_stay_on",
            "discharged_at",
            "discharge_kind",
        ]
        read_only_fields = fields


class ResidentDetailSerializer(ResidentSerializer):
    identity_steps = IdentityStepSerializer(many=True, read_only=True)

    class Meta(ResidentSerializer.Meta):
        fields = [*ResidentSerializer.Meta.fields, "identity_steps"]
        read_only_fields = fields


class ResidentViewSet(ScopedViewSet):
    filterset_class = ResidentApiFilter
    ordering_fields = ["admitted_at", "discharged_at", "long_stay_on", "id"]
    ordering = ["-admitted_at", "-id"]

    def check_area(self, user) -> None:
        # As the pages: users who may not read resident records find none (404).
        if not user.has_perm("residents.view_resident"):
            raise exceptions.NotFound

    def get_serializer_class(self):
        return ResidentDetailSerializer if self.action == "retrieve" else ResidentSerializer

    def scope(self, user):
        residents = selectors.residents_for(user)
        if self.action == "retrieve":
            residents = residents.prefetch_related("identity_steps")
        return residents


ROUTES = [("residents", ResidentViewSet, "resident")]
