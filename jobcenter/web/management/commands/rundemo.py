"""Runs the web server and the task worker together until Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jobcenter.web.demo import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Starter webserver og opgave-worker til demoen. Ctrl-C stopper begge."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("JOBCENTER_HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("JOBCENTER_PORT", "8000"))

    def handle(self, *args: Any, **options: Any) -> None:
        # SIGTERM (from a process manager) stops the demo the same way as Ctrl-C.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        # The outbox's dispatcher runs on the worker: queue a run now, so that events left
        # waiting when the demo last stopped are delivered (it re-enqueues itself while work waits).
        from jobcenter.events.background import schedule_watch
        from jobcenter.events.tasks import schedule_dispatcher

        schedule_dispatcher()
        # And the watch, which finds tasks a killed worker left half-done and runs them again.
        schedule_watch()
        manage = [sys.executable, "-m", "jobcenter.cli"]
        address = f"{options['host']}:{options['port']}"
        # Fixed argument lists built here, not from user input.
        processes = {
            "web": subprocess.Popen([*manage, "runserver", address, "--noreload", "--skip-checks"]),  # noqa: S603
            "worker": subprocess.Popen([*manage, "db_worker", "--no-reload", "--interval", "1"]),  # noqa: S603
        }
        self.stdout.write(self.style.SUCCESS(f"\nJobcenter kører på http://{address}/"))
        self.stdout.write(f"Demo-logins (adgangskode for alle: {DEMO_PASSWORD}):")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:28} {login.role.label} ({login.municipality})")
        self.stdout.write("Tryk Ctrl-C for at stoppe.\n")
        try:
            while all(process.poll() is None for process in processes.values()):
                time.sleep(0.5)
            stopped = [name for name, process in processes.items() if process.poll() is not None]
            self.stderr.write(f"Stoppede uventet: {', '.join(stopped)}. Stopper resten.")
        except KeyboardInterrupt:
            # Ctrl-C reaches the children too; a second signal must not cut the shutdown short.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            self.stdout.write("\nStopper webserver og worker …")
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.stdout.write("Stoppet.")
