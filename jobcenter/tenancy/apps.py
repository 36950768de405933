from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "jobcenter.tenancy"
    label = "tenancy"
    verbose_name = "Kommuner, brugere og roller"
