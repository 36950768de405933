"""The YAML scenarios, run through OpenFisca's own command, as part of pytest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCENARIOS = Path(__file__).parent / "scenarios"


def test_the_openfisca_yaml_scenarios_pass():
    openfisca = Path(sys.executable).parent / "openfisca"
    completed = subprocess.run(  # noqa: S603 - fixed command, no outside input
        [str(openfisca), "test", "--country-package", "jobcenter.rules", str(SCENARIOS)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert " passed" in completed.stdout
