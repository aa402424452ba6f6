from django.db.models import Q, QuerySet

from audit_portal.accounts.models import Organisation, User


def organisations_in_scope(user: User) -> QuerySet[Organisation]:
    """The organisations whose records a user may see through the organisation tree.

    The city bureau sees itself and everything below it; a county bureau sees itself and its
    stations; a station sees itself. Supervisors and institution users have no organisation scope:
    they see single objects granted to them.
    """
    organisations = Organisation.objects.all()
    if user.is_authenticated and user.is_admin:
        return organisations
    if not user.is_authenticated or not user.is_civil_affairs_staff or not user.organisation_id:
        return organisations.none()
    org = user.organisation
    if org.kind == Organisation.Kind.CITY:
        return organisations.filter(
            Q(pk=org.pk) | Q(parent_id=org.pk) | Q(parent__parent_id=org.pk)
        )
    if org.kind == Organisation.Kind.COUNTY:
        return organisations.filter(Q(pk=org.pk) | Q(parent_id=org.pk))
    return organisations.filter(pk=org.pk)


def counties_in_scope(user: User) -> QuerySet[Organisation]:
    return organisations_in_scope(user).filter(kind=Organisation.Kind.COUNTY)
