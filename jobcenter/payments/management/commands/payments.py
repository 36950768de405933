"""jobcenter payments run --municipality 0461 --month 2025-10 --trial --user U
jobcenter payments approve RUN --user U
jobcenter payments release RUN --user U
jobcenter payments show RUN --user U
jobcenter payments fetch-income --month 2025-10 --user U"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from jobcenter.benefits.actions import do_fetch_income
from jobcenter.benefits.periods import parse_month
from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.models import RunStatus
from jobcenter.payments.queries import access_run
from jobcenter.payments.refusals import PaymentRunRefused
from jobcenter.payments.release import do_release_run
from jobcenter.payments.specifications import specification_progress
from jobcenter.payments.tasks import issue_specifications
from jobcenter.rules import format_kroner
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.models import Municipality, User
from jobcenter.tenancy.roles import Permission


class ProgressBar:
    """A progress bar on standard error: '[#######.....]  58 % udbetaler 5800/10000'."""

    def __init__(self, stream: OutputWrapper, width: int = 40) -> None:
        self.stream = stream
        self.width = width

    def __call__(self, phase: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        filled = int(self.width * share)
        text = f"\r[{'#' * filled}{'.' * (self.width - filled)}] {share:4.0%} {phase} {done}/{total}   "
        self.stream.write(text + ("\n" if done >= total else ""), ending="")
        self.stream.flush()


class Command(BaseCommand):
    help = "Månedlige udbetalingskørsler: prøvekørsel, godkendelse (en anden person) og udbetaling."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        run = commands.add_parser("run", help="Beregn en prøvekørsel for en kommune og en måned")
        run.add_argument("--municipality", required=True, help="Kommunekode, fx 0461")
        run.add_argument("--month", required=True, help="Måneden, fx 2025-10")
        run.add_argument("--trial", action="store_true", help="Prøvekørsel (den eneste måde at starte en kørsel)")
        income = commands.add_parser("fetch-income", help="Hent månedens indkomster fra eIndkomst")
        income.add_argument("--municipality", required=True)
        income.add_argument("--month", required=True)
        for name, text in (
            ("approve", "Godkend en prøvekørsel"),
            ("release", "Udbetal en godkendt kørsel"),
            ("show", "Vis en kørsel"),
            ("letters", "Sæt dannelsen af en udbetalt kørsels manglende specifikationsbreve i kø igen"),
        ):
            sub = commands.add_parser(name, help=text)
            sub.add_argument("run", help="Kørslens id")
        for sub in commands.choices.values():
            sub.add_argument("--user", required=True, help="Brugernavnet på den, der udfører handlingen")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"Brugeren findes ikke eller er ikke aktiv: {options['user']}") from None
        try:
            self._handle(user, options)
        except PaymentRunRefused as refused:
            raise CommandError("\n".join([refused.message, *(f"  {p}" for p in refused.problems)])) from None
        except ValueError as error:
            raise CommandError(str(error)) from None

    def _handle(self, user: User, options: dict[str, Any]) -> None:
        subcommand = options["subcommand"]
        if subcommand in ("run", "fetch-income"):
            try:
                municipality = Municipality.objects.get(code=options["municipality"])
            except Municipality.DoesNotExist:
                raise CommandError(f"Ukendt kommunekode: {options['municipality']}") from None
            month = parse_month(options["month"])
            if subcommand == "fetch-income":
                result = do_fetch_income(user, municipality, month)
                self.stdout.write(
                    f"{result['reports']} indberetninger gemt; {result['recalculate']} måneder genberegnes."
                )
                return
            if not options["trial"]:
                raise CommandError("En kørsel startes altid som prøvekørsel: tilføj --trial.")
            run = do_start_trial_run(user, month, municipality=municipality, progress=ProgressBar(self.stderr))
        elif subcommand == "approve":
            run = do_approve_run(user, options["run"])
        elif subcommand == "release":
            run = do_release_run(user, options["run"], progress=ProgressBar(self.stderr))
        elif subcommand == "letters":
            require_permission(user, Permission.PAYMENTS_RUN)
            run = access_run(user, options["run"])
            if run.status != RunStatus.RELEASED:
                raise CommandError("Kørslen er ikke udbetalt; specifikationerne dannes, når den er.")
            # Resumes after a crash: the task takes only payments without a specification.
            issue_specifications.enqueue(str(run.pk))
            self.stdout.write("Dannelsen af de manglende specifikationer er sat i kø (jobcenter db_worker).")
        else:
            run = access_run(user, options["run"])
        self.stdout.write(
            f"Kørsel {run.pk}\n"
            f"  {run.municipality.code} {run.month:%Y-%m}: {run.get_status_display()}, udbetalingsdag {run.payment_date}\n"
            f"  {run.grant_count} bevillinger, {run.payment_count} udbetalinger, i alt {format_kroner(run.total_ore)}"
            f" (efterreguleringer {format_kroner(run.correction_total_ore)}, krav {format_kroner(run.claim_total_ore)},"
            f" afvigelser {run.outlier_count})" + (f"\n  Betalingsfil: {run.file_name}" if run.file_name else "")
        )
        if run.status == RunStatus.RELEASED:
            letters = specification_progress(run)
            self.stdout.write(
                f"  Specifikationer: {letters['issued']} af {letters['total']} dannet, {letters['refused']} afvist"
            )
