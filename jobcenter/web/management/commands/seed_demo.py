from typing import Any

from django.core.management.base import BaseCommand

from jobcenter.audit.context import work_context
from jobcenter.web.demo import seed_demo


class Command(BaseCommand):
    help = "Opretter de syntetiske demodata (Odense og Aarhus). Kan køres igen uden at gentage noget."

    def handle(self, *args: Any, **options: Any) -> None:
        with work_context("cli: seed_demo"):
            made = seed_demo()
        self.stdout.write(
            f"Demo: {made['users']} brugere, {made['citizens']} borgere, {made['cases']} sager "
            f"og {made['grants']} bevillinger oprettet; {made['inbox_events']} hændelser til ydelseskontorets "
            "indbakke venter på workeren."
        )
