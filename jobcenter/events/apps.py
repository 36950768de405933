from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "jobcenter.events"
    label = "events"
    verbose_name = "Hændelser"
