"""The rules package stays pure: no Django, no other apps."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_rules_loads_neither_django_nor_other_apps():
    code = (
        "import sys, jobcenter.rules as r; r.calculate_month; "
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.') "
        "or (m.startswith('jobcenter.') and not m.startswith('jobcenter.rules'))); print(bad)"
    )
    command = [sys.executable, "-c", code]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 - fixed command
    assert completed.stdout.strip() == "[]"
