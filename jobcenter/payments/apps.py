from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "jobcenter.payments"
    verbose_name = "Udbetalinger"

    def ready(self) -> None:
        # Benefits asks what was paid through this ledger (it never imports payments).
        from jobcenter.benefits.entitlement import register_paid_ledger
        from jobcenter.payments.paid import PaymentsLedger

        register_paid_ledger(PaymentsLedger())
