"""The supervisor scheme's API (``/api/v1/``): supervisors (ID numbers masked, as the roster
shows them), supervision groups with their members, assignments to institutions. Read only;
for administrators and the city and county bureaus, as the pages (404 for everyone else)."""

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from audit_portal.accounts.models import User
from audit_portal.api.filters import IdChoiceFilter, IdFilter, like
from audit_portal.api.views import ScopedViewSet
from inspections.selectors import institutions_for
from supervisors import selectors
from supervisors.filters import RosterFilter
from supervisors.models import Assignment, GroupMembership, SupervisionGroup, Supervisor, Term


class StaffAreaMixin:
    def check_area(self, user: User) -> None:
        # As ``views.common.staff_area``: the pages exist only for administrators and the city
        # and county bureaus (404), then need the role's permission (403).
        reads = user.is_admin or (
            user.is_civil_affairs_staff and user.organisation_kind in ("city", "county")
        )
        if not reads:
            raise exceptions.NotFound
        super().check_area(user)


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["id", "number", "consecutive_number", "starts_on", "last_day", "terminated_on"]
        read_only_fields = fields


class SupervisorSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    current_term = serializers.SerializerMethodField()
    groups = serializers.SerializerMethodField()

    class Meta:
        model = Supervisor
        fields = [
            "id",
            "full_name",
            "gender",
            "id_number",
            "employer",
            "title",
            "expertise",
            "current_term",
            "groups",
        ]
        read_only_fields = fields

    @extend_schema_field(TermSerializer(allow_null=True))
    def get_current_term(self, supervisor: Supervisor) -> dict | None:
        terms = supervisor.running_terms
        return TermSerializer(terms[0]).data if terms else None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_groups(self, supervisor: Supervisor) -> list[int]:
        return [membership.group_id for membership in supervisor.current_memberships]


class ApiRosterFilter(RosterFilter):
    group = like(RosterFilter, "group", IdChoiceFilter)

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, day=timezone.localdate(), **kwargs)


class SupervisorViewSet(StaffAreaMixin, ScopedViewSet):
    serializer_class = SupervisorSerializer
    filterset_class = ApiRosterFilter
    view_perm = "supervisors.view_supervisor"
    perm_on_objects = True
    ordering_fields = ["full_name", "id"]
    ordering = ["full_name", "id"]

    def scope(self, user):
        return selectors.roster(user, day=timezone.localdate())


class MembershipSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="supervisor.full_name", read_only=True)

    class Meta:
        model = GroupMembership
        fields = ["id", "supervisor", "full_name", "role", "joined_on", "left_on"]
        read_only_fields = fields


class GroupSerializer(serializers.ModelSerializer):
    members = MembershipSerializer(many=True, read_only=True, source="current_members")

    class Meta:
        model = SupervisionGroup
        fields = ["id", "name", "status", "created_at", "members"]
        read_only_fields = fields


class GroupFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SupervisionGroup.Status.choices)

    class Meta:
        model = SupervisionGroup
        fields: list[str] = []


class GroupViewSet(StaffAreaMixin, ScopedViewSet):
    serializer_class = GroupSerializer
    filterset_class = GroupFilter
    view_perm = "supervisors.view_supervisiongroup"
    perm_on_objects = True
    ordering_fields = ["name", "created_at", "id"]
    ordering = ["name", "id"]

    def scope(self, user):
        members = GroupMembership.objects.filter(left_on__isnull=True).select_related("supervisor")
        return selectors.groups_for(user).prefetch_related(
            Prefetch(
                "memberships", queryset=members.order_by("role", "pk"), to_attr="current_members"
            )
        )


class AssignmentSerializer(serializers.ModelSerializer):
    group_name = serializers.CharField(source="group.name", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "group",
            "group_name",
            "institution",
            "institution_name",
            "starts_on",
            "ends_on",
            "end_reason",
        ]
        read_only_fields = fields


class AssignmentFilter(django_filters.FilterSet):
    group = IdFilter(field_name="group_id")
    institution = IdFilter(field_name="institution_id")
    current = django_filters.BooleanFilter(method="filter_current")

    class Meta:
        model = Assignment
        fields: list[str] = []

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        current = Assignment.active_q(timezone.localdate())
        return queryset.filter(current) if value else queryset.exclude(current)


class AssignmentViewSet(StaffAreaMixin, ScopedViewSet):
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    view_perm = "supervisors.view_supervisiongroup"
    perm_on_objects = True
    ordering_fields = ["starts_on", "ends_on", "id"]
    ordering = ["-starts_on", "id"]

    def scope(self, user):
        # The groups in scope, at the institutions in scope (a county sees its county's part).
        return Assignment.objects.filter(
            group__in=selectors.groups_for(user), institution__in=institutions_for(user)
        ).select_related("group", "institution")


ROUTES = [
    ("supervisors", SupervisorViewSet, "supervisor"),
    ("supervision-groups", GroupViewSet, "supervision-group"),
    ("assignments", AssignmentViewSet, "assignment"),
]
