from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jobcenter.audit"
    label = "audit"
    verbose_name = "Revisionsspor"

    def ready(self) -> None:
        from jobcenter.audit import signals  # noqa: F401  (login and logout are recorded)
        from jobcenter.audit.logging import redact_every_handler

        redact_every_handler()
