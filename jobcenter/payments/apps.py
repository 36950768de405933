from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "jobcenter.payments"
    verbose_name = "Udbetalinger"
