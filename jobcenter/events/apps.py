from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class EventsConfig(AppConfig):
    name = "jobcenter.events"
    label = "events"
    verbose_name = "Hændelser"

    def ready(self) -> None:
        # Every app's handlers.py registers its event handlers (events/registry.py).
        autodiscover_modules("handlers")
        # The background-task wrapper listens for the worker starting and finishing tasks.
        from jobcenter.events import background  # noqa: F401
