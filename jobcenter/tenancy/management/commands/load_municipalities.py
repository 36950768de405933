from typing import Any

from django.core.management.base import BaseCommand

from jobcenter.audit.context import work_context
from jobcenter.tenancy.actions import do_load_municipalities


class Command(BaseCommand):
    help = "Indlæser de 98 kommuner med deres officielle kommunekoder (kan køres igen)."

    def handle(self, *args: Any, **options: Any) -> None:
        with work_context("cli: load_municipalities"):
            created, updated = do_load_municipalities()
        self.stdout.write(f"Kommuner: {created} oprettet, {updated} opdateret.")
