from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jobcenter.web"
    label = "web"
    verbose_name = "Brugerflade"
