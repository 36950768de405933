from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jobcenter.web"
    label = "web"
    verbose_name = "Brugerflade"

    def ready(self) -> None:
        from jobcenter.web import checks  # noqa: F401  (registers the system checks)
