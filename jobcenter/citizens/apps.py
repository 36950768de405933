from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "jobcenter.citizens"
    label = "citizens"
    verbose_name = "Borgere"
