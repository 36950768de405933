"""jobcenter events dispatch [--enqueue] [--seconds N]
jobcenter events status
jobcenter events recover"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jobcenter.events import dispatcher
from jobcenter.events.queries import outbox_metrics
from jobcenter.events.tasks import schedule_dispatcher


class Command(BaseCommand):
    help = "Udgående hændelser (outbox): lever dem nu, eller vis køen."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        run = commands.add_parser("dispatch", help="Lever de hændelser, der venter (i denne proces)")
        run.add_argument("--seconds", type=float, default=None, help="Stop efter så mange sekunder")
        run.add_argument(
            "--enqueue",
            action="store_true",
            help="Læg i stedet en afsender-opgave i opgavekøen, hvis der ikke allerede er en (til cron)",
        )
        commands.add_parser("status", help="Vis hændelser der venter, den ældste og døde breve")
        commands.add_parser(
            "recover",
            help="Find baggrundsopgaver, hvis proces døde, sæt dem i kø igen, og vis dem, der er fejlet (til cron)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "dispatch":
            if options["enqueue"]:
                queued = schedule_dispatcher()
                self.stdout.write("Afsender lagt i kø." if queued else "Der ligger allerede en afsender i kø.")
                return
            result = dispatcher.dispatch(time_budget=options["seconds"])
            self.stdout.write(
                f"Fordelt: {result.routed}, ugyldige: {result.rejected}, leveret: {result.delivered}, "
                f"fejlede (prøves igen): {result.failed}, døde breve: {result.dead}"
            )
            return
        if options["subcommand"] == "recover":
            from jobcenter.events.background import problems, recover_stale, schedule_watch

            self.stdout.write(f"Genstartet efter en død proces: {recover_stale()}")
            schedule_watch()
            for problem in problems():
                self.stdout.write(f"{problem.state}: {problem.label} ({problem.attempts} forsøg): {problem.error}")
            return
        metrics = outbox_metrics(None)
        self.stdout.write(f"Hændelser der venter: {metrics.events_waiting}")
        age = metrics.oldest_undelivered_age_seconds
        self.stdout.write(f"Ældste ikke-leverede: {'-' if age is None else f'{age:.0f} s'}")
        self.stdout.write(f"Leveringer der venter: {metrics.deliveries_pending}")
        self.stdout.write(f"Døde breve: {metrics.dead_letters}")
        for integration, count in metrics.failures_per_integration.items():
            self.stdout.write(f"Fejl det seneste døgn, {integration}: {count}")
