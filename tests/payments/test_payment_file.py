"""The pain.001 file: amounts exact, valid against the official XSD, refused when not."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import xmlschema

from jobcenter.payments.actions import PaymentRunRefused, do_approve_run, do_release_run, do_start_trial_run
from jobcenter.payments.models import Payment, PaymentRun, RunStatus
from jobcenter.payments.pain001 import XSD, PaymentFileInvalid, Transfer, kroner, validate_pain001, write_pain001
from tests.payments.helpers import OCTOBER_2025, grant


def write(path: Path, transfers: list[Transfer]) -> Path:
    write_pain001(
        path,
        message_id="test-run",
        created_at=datetime.datetime(2025, 10, 30, 12, 0),
        debtor_name="Odense Kommune",
        debtor_iban="DK5000400440116243",
        debtor_bic="DABADKKK",
        execution_date=datetime.date(2025, 10, 31),
        count=len(transfers),
        total_ore=sum(t.amount_ore for t in transfers),
        transfers=transfers,
    )
    return path


@pytest.mark.parametrize(("ore", "text"), [(1, "0.01"), (100, "1.00"), (1_359_000, "13590.00"), (657_581, "6575.81")])
def test_amounts_are_kroner_with_exactly_two_decimals(ore, text):
    assert kroner(ore) == text


def test_a_file_is_valid_and_both_validators_agree(tmp_path):
    path = write(
        tmp_path / "ok.xml", [Transfer("e2e-1", 657_581, "Karen Ødegård & Søn <x>", "0101901234", "Kontanthjælp")]
    )
    validate_pain001(path)
    assert xmlschema.XMLSchema(str(XSD)).is_valid(str(path))


def test_a_file_that_breaks_the_xsd_is_refused_and_both_validators_agree(tmp_path):
    path = write(tmp_path / "bad.xml", [Transfer("x" * 35, 100, "A", "0101901234", "K")])
    path.write_text(path.read_text().replace("<PmtMtd>TRF</PmtMtd>", "<PmtMtd>XXX</PmtMtd>"))
    with pytest.raises(PaymentFileInvalid) as invalid:
        validate_pain001(path)
    assert "PmtMtd" in invalid.value.problems[0]
    assert not xmlschema.XMLSchema(str(XSD)).is_valid(str(path))


def test_a_release_whose_file_fails_validation_releases_nothing(
    odense_benefits_officer, odense_team_lead, odense_citizen, monkeypatch
):
    grant(odense_benefits_officer, odense_citizen)
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    do_approve_run(odense_team_lead, run.pk)
    from jobcenter.payments import actions

    monkeypatch.setattr(actions.settings, "JOBCENTER_PAYMENT_DEBTOR_BIC", "not a BIC")
    with pytest.raises(PaymentRunRefused, match="Betalingsfilen blev afvist"):
        do_release_run(odense_benefits_officer, run.pk)
    assert not Payment.objects.exists()
    assert PaymentRun.objects.get(pk=run.pk).status == RunStatus.APPROVED
