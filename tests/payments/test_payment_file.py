"""The pain.001 file: amounts exact, valid against the official XSD, refused when not."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import xmlschema

from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.models import Payment, PaymentRun, RunStatus
from jobcenter.payments.pain001 import (
    XSD,
    FileHeader,
    PaymentFileInvalid,
    Transfer,
    join_parts,
    kroner,
    validate_pain001,
    write_pain001,
)
from jobcenter.payments.refusals import PaymentRunRefused
from jobcenter.payments.release import do_release_run
from tests.payments.helpers import OCTOBER_2025, grant


def write(path: Path, transfers: list[Transfer]) -> Path:
    write_pain001(path, header(transfers), transfers)
    return path


def header(transfers: list[Transfer]) -> FileHeader:
    return FileHeader(
        message_id="test-run",
        created_at=datetime.datetime(2025, 10, 30, 12, 0),
        debtor_name="Odense Kommune",
        debtor_iban="DK5000400440116243",
        debtor_bic="DABADKKK",
        execution_date=datetime.date(2025, 10, 31),
        count=len(transfers),
        total_ore=sum(t.amount_ore for t in transfers),
    )


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
    from jobcenter.payments import payment_file

    monkeypatch.setattr(payment_file.settings, "JOBCENTER_PAYMENT_DEBTOR_BIC", "not a BIC")
    with pytest.raises(PaymentRunRefused, match="Betalingsfilen blev afvist"):
        do_release_run(odense_benefits_officer, run.pk)
    assert not Payment.objects.exists()
    assert PaymentRun.objects.get(pk=run.pk).status == RunStatus.APPROVED


TRANSFERS = [
    Transfer(f"e2e-{number}", 100_000 + number, f"Borger {number} & Co", f"01019012{number:02d}", "Kontanthjælp")
    for number in range(1, 6)
]


def test_parts_written_under_the_whole_header_join_into_the_same_file_as_one_write(tmp_path):
    whole = write(tmp_path / "whole.xml", TRANSFERS)
    first = write_pain001(tmp_path / "part-0.xml", header(TRANSFERS), TRANSFERS[:2], part=True)
    second = write_pain001(tmp_path / "part-1.xml", header(TRANSFERS), TRANSFERS[2:], part=True)
    for part in ("part-0.xml", "part-1.xml"):
        validate_pain001(tmp_path / part)
    join_parts(
        tmp_path / "joined.xml",
        header(TRANSFERS),
        [(tmp_path / "part-0.xml", first), (tmp_path / "part-1.xml", second)],
    )
    assert (tmp_path / "joined.xml").read_bytes() == whole.read_bytes()
    validate_pain001(tmp_path / "joined.xml")


def test_parts_that_do_not_add_up_to_the_header_are_refused(tmp_path):
    first = write_pain001(tmp_path / "part-0.xml", header(TRANSFERS), TRANSFERS[:2], part=True)
    with pytest.raises(PaymentFileInvalid, match="stemmer ikke med kørslens totaler") as refused:
        join_parts(tmp_path / "joined.xml", header(TRANSFERS), [(tmp_path / "part-0.xml", first)])
    assert refused.value.problems == ["2 overførsler på 2000.03 kr., ventet 5 på 5000.15 kr."]
    assert not (tmp_path / "joined.xml").exists()


def test_a_whole_file_whose_transfers_do_not_match_its_header_is_refused(tmp_path):
    with pytest.raises(PaymentFileInvalid, match="stemmer ikke med kørslens totaler"):
        write_pain001(tmp_path / "short.xml", header(TRANSFERS), TRANSFERS[:4])


def test_a_part_written_under_another_header_is_not_joined(tmp_path):
    other = FileHeader(**{**header(TRANSFERS).__dict__, "message_id": "another-run"})
    first = write_pain001(tmp_path / "part-0.xml", other, TRANSFERS, part=True)
    with pytest.raises(ValueError, match="not written with this header"):
        join_parts(tmp_path / "joined.xml", header(TRANSFERS), [(tmp_path / "part-0.xml", first)])
