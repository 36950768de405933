from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobcenter.audit.context import work_context
from jobcenter.tenancy.actions import do_issue_api_token
from jobcenter.tenancy.models import User


class Command(BaseCommand):
    help = "Udsteder en API-nøgle til en systemintegration. Nøglen vises kun denne ene gang."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Brugeren, som integrationen handler som")
        parser.add_argument("--name", required=True, help="Hvad nøglen bruges til")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError("Ingen aktiv bruger med det brugernavn.")
        with work_context("cli: issue_api_token"):
            _, raw = do_issue_api_token(acting_user=None, user=user, name=options["name"])
        self.stdout.write(raw)
