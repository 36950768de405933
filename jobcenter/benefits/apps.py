from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "jobcenter.benefits"
    label = "benefits"
    verbose_name = "Ydelser"
