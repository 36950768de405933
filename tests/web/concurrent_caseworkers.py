"""Four caseworkers send summonses at the same moment against an SQLite file, with the task
worker delivering the letters beside them: the demo's load on the embedded default.

Run as its own process (`python -m tests.web.concurrent_caseworkers`) with DATABASE_URL naming
a fresh SQLite file, because the test suite's SQLite database lives in memory and so never meets
a second process. Prints one JSON line with what happened; tests/web/test_sqlite_concurrency.py
reads it.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

CASEWORKERS = 4
SUMMONSES_EACH = 10


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobcenter.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    call_command("migrate", verbosity=0)
    settings.PASSWORD_HASHERS = ["tests.hashers.CheapArgon2PasswordHasher"]
    interviews = _caseworkers_with_interviews()
    worker = subprocess.Popen(
        [sys.executable, "-m", "jobcenter.cli", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        statuses = _send_all_at_once(interviews)
        _wait_for_the_queue_to_empty()
    finally:
        worker.send_signal(signal.SIGTERM)
        _, worker_errors = worker.communicate(timeout=60)
    print(json.dumps(_what_landed(statuses) | {"worker_errors": worker_errors.count("Traceback")}))


def _caseworkers_with_interviews() -> dict[Any, list[Any]]:
    from django.utils import timezone

    from jobcenter.cases.actions import do_open_case, do_plan_interview
    from jobcenter.citizens.actions import do_register_citizen
    from jobcenter.tenancy.actions import do_create_user
    from jobcenter.tenancy.models import Municipality
    from jobcenter.tenancy.roles import Role

    odense = Municipality.objects.get_or_create(code="0461", defaults={"name": "Odense"})[0]
    today = timezone.localdate()
    interviews: dict[Any, list[Any]] = {}
    for number in range(CASEWORKERS):
        caseworker = do_create_user(
            acting_user=None,
            username=f"sagsbehandler-{number}",
            role=Role.CASEWORKER,
            municipalities=[odense],
            password="korrekt-hest-batteri-haefteklamme",
            first_name="Test",
            last_name=f"Sagsbehandler {number}",
        )
        interviews[caseworker] = []
        for person in range(SUMMONSES_EACH):
            citizen = do_register_citizen(
                acting_user=None,
                municipality=odense,
                cpr=f"{number + 1:02d}{person + 1:02d}90{1000 + 10 * number + person}",
                first_name="Borger",
                last_name=f"{number}-{person}",
            )
            case = do_open_case(
                acting_user=None,
                citizen=citizen,
                target_group_code="lab_jobparat_kontanthjaelp",
                opened_on=today - datetime.timedelta(days=30),
                caseworker=caseworker,
            )
            when = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
            interviews[caseworker].append(
                do_plan_interview(
                    acting_user=None, case=case, scheduled_at=when + datetime.timedelta(days=3), form="fremmoede"
                )
            )
    return interviews


def _send_all_at_once(interviews: dict[Any, list[Any]]) -> list[int]:
    """Each caseworker in a thread of its own (its own database connection), all starting together,
    pressing "send summons" through the real view."""
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    statuses: list[int] = []
    start = threading.Barrier(len(interviews))

    def caseworker_sends(user: Any, own: list[Any]) -> None:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        start.wait()
        try:
            for interview in own:
                response = client.post(reverse("cases:interview-summons", args=[interview.pk]))
                statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=caseworker_sends, args=item) for item in interviews.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _wait_for_the_queue_to_empty(seconds: float = 240) -> None:
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # Due or running; the watch (events/background.py) stays queued a minute ahead for ever.
        if not (DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists()):
            return
        time.sleep(0.5)


def _what_landed(statuses: list[int]) -> dict[str, Any]:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from jobcenter.cases.models import JournalEntry, JournalKind, Summons
    from jobcenter.letters.models import Letter
    from jobcenter.letters.queries import current_status

    return {
        "responses": sorted(statuses),
        "summonses": Summons.objects.count(),
        "summons_journal_entries": JournalEntry.objects.filter(kind=JournalKind.SUMMONS).count(),
        "letters": Letter.objects.count(),
        "letters_sent": sum(1 for letter in Letter.objects.all() if current_status(letter) == "sent"),
        "letter_tasks": dict(
            DBTaskResult.objects.filter(task_path="jobcenter.letters.tasks.deliver_letter")
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        ),
        "failed_tasks": DBTaskResult.objects.filter(status="FAILED").count(),
    }


if __name__ == "__main__":
    main()
