from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jobcenter.cases"
    label = "cases"
    verbose_name = "Sager"
