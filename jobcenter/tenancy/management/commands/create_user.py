import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobcenter.audit.context import work_context
from jobcenter.tenancy.actions import do_create_user
from jobcenter.tenancy.models import Municipality
from jobcenter.tenancy.roles import Role


class Command(BaseCommand):
    help = "Opretter en bruger med én rolle i en eller flere kommuner."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[role.value for role in Role])
        parser.add_argument("--municipality", action="append", required=True, help="Kommunekode, fx 0461")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--no-password", action="store_true", help="Kun login via OIDC eller API-nøgle")

    def handle(self, *args: Any, **options: Any) -> None:
        codes = options["municipality"]
        municipalities = list(Municipality.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {m.code for m in municipalities})
        if unknown:
            raise CommandError(f"Ukendt kommunekode: {', '.join(unknown)}")
        password = None if options["no_password"] else getpass.getpass("Adgangskode: ")
        try:
            with work_context("cli: create_user"):
                user = do_create_user(
                    acting_user=None,
                    username=options["username"],
                    role=Role(options["role"]),
                    municipalities=municipalities,
                    password=password,
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    email=options["email"],
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Oprettet: {user.username} ({user.role_enum.label}).")
