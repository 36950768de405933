from jobcenter.events.background import background_task


@background_task(describe=lambda: ("Prøveopgave fra driftssiden", None))
def ping() -> str:
    """A no-op the operations page enqueues to prove the worker runs tasks."""
    return "pong"
