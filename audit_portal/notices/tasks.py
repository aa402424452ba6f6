"""The worker's side of notifications (django-tasks; ``manage.py db_worker`` runs it)."""

from django_tasks import task

from audit_portal.notices import services


@task()
def deliver(delivery_id: int) -> str:
    """Send one mail or robot message; a failure is recorded and retried, never raised."""
    return services.delivery_attempt(delivery_id)
