from django_tasks import task


@task()
def ping() -> str:
    """A no-op the operations page enqueues to prove the worker runs tasks."""
    return "pong"
