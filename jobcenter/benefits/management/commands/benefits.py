"""jobcenter benefits calculate --month YYYY-MM FILE.json [--json]
jobcenter benefits schema"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobcenter.benefits.calculation import CalculationRefused, calculate, households_from_document, input_schema
from jobcenter.rules import render_text


class Command(BaseCommand):
    help = "Beregn kontanthjælp for en måned med begrundelse, eller vis inputskemaet."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        calculate_parser = commands.add_parser("calculate", help="Beregn hjælpen for husstandene i en JSON-fil")
        calculate_parser.add_argument("file", type=Path, help="JSON-fil med en husstand eller en liste af husstande")
        calculate_parser.add_argument("--month", required=True, help="Måneden, fx 2025-08")
        calculate_parser.add_argument("--json", action="store_true", help="Skriv resultatet som JSON")
        commands.add_parser("schema", help="Skriv JSON-skemaet for en husstand")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "schema":
            self.stdout.write(json.dumps(input_schema(), indent=2, ensure_ascii=False))
            return
        path: Path = options["file"]
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"Filen findes ikke: {path}") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"Filen er ikke gyldig JSON (linje {error.lineno}, kolonne {error.colno}).") from None
        try:
            results = calculate(households_from_document(document), options["month"])
        except CalculationRefused as refused:
            lines = [refused.message, *(f"  {problem.field}: {problem.message}" for problem in refused.problems)]
            raise CommandError("\n".join(lines)) from None
        if options["json"]:
            self.stdout.write(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
        else:
            self.stdout.write("\n\n".join(render_text(result) for result in results))
