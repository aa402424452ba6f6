"""The worker's side of generated files (django-tasks; ``manage.py db_worker`` runs it)."""

from django_tasks import task

from audit_portal.core.files import runner


@task()
def build_file(job_id: str, attempt: int) -> str:
    """Build one attempt of a generated file (``runner.run``); never raises: a failure is
    recorded on the job for its owner."""
    return runner.run(job_id, attempt)
