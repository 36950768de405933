"""Rate tables: imported by one administrator, in effect only when a second approves, all in the audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jobcenter.audit.models import AuditEntry
from jobcenter.benefits.actions import do_approve_rate_table, do_import_rate_table, do_reject_rate_table
from jobcenter.benefits.calculation import CalculationRefused, calculate
from jobcenter.benefits.models import RateTableImport, RateTableStatus
from jobcenter.benefits.rate_tables import RateTableRefused
from jobcenter.tenancy.roles import Role
from tests.benefits.rate_table_samples import (
    RATE_TABLE_2026_CSV,
    RATE_TABLE_2026_TOTAL_ORE,
    RATE_TABLE_2026_YAML,
    SINGLE_HOUSEHOLD_2026,
)


@pytest.fixture
def importer(make_user, odense):
    return make_user(Role.ADMINISTRATOR, odense, username="admin-importoer")


@pytest.fixture
def approver(make_user, aarhus):
    return make_user(Role.ADMINISTRATOR, aarhus, username="admin-godkender")


def import_2026(user) -> RateTableImport:
    return do_import_rate_table(user, file_name="satser-2026.yaml", content=RATE_TABLE_2026_YAML.encode())


def test_an_imported_table_has_no_effect_until_a_second_person_approves_it(importer, approver):
    imported = import_2026(importer)
    assert imported.status == RateTableStatus.PENDING
    with pytest.raises(CalculationRefused, match="ikke kendt og godkendt for 2026-03"):
        calculate([SINGLE_HOUSEHOLD_2026], "2026-03")

    do_approve_rate_table(approver, imported.pk, "Tjekket mod bekendtgørelsen")

    result = calculate([SINGLE_HOUSEHOLD_2026], "2026-03")[0]
    assert result.total_ore == RATE_TABLE_2026_TOTAL_ORE
    cited = {parameter.source_url for line in result.persons[0].lines for parameter in line.parameters}
    assert "https://example.invalid/satser-2026" in cited


def test_nobody_approves_their_own_import(importer):
    imported = import_2026(importer)
    with pytest.raises(RateTableRefused, match="selv godkende"):
        do_approve_rate_table(importer, imported.pk)
    imported.refresh_from_db()
    assert imported.status == RateTableStatus.PENDING
    assert imported.decided_by is None


def test_a_table_is_decided_once(importer, approver, make_user, odense):
    imported = import_2026(importer)
    do_reject_rate_table(approver, imported.pk, "Forkert år")
    third = make_user(Role.ADMINISTRATOR, odense, username="admin-tredje")
    with pytest.raises(RateTableRefused, match="allerede behandlet"):
        do_approve_rate_table(third, imported.pk)
    imported.refresh_from_db()
    assert imported.status == RateTableStatus.REJECTED
    assert imported.decided_by == approver


def test_a_rejection_needs_a_reason(importer, approver):
    imported = import_2026(importer)
    with pytest.raises(RateTableRefused, match="begrundelse"):
        do_reject_rate_table(approver, imported.pk, "  ")
    imported.refresh_from_db()
    assert imported.status == RateTableStatus.PENDING


def test_a_rejected_table_is_never_used(importer, approver):
    imported = import_2026(importer)
    do_reject_rate_table(approver, imported.pk, "Forkert år")
    with pytest.raises(CalculationRefused):
        calculate([SINGLE_HOUSEHOLD_2026], "2026-03")


def test_import_and_decision_are_in_the_audit_log(importer, approver):
    imported = import_2026(importer)
    do_approve_rate_table(approver, imported.pk, "ok")
    entries = AuditEntry.objects.filter(object_id=str(imported.pk)).order_by("occurred_at", "id")
    assert [(entry.username, entry.action) for entry in entries] == [
        ("admin-importoer", "create"),
        ("admin-godkender", "update"),
    ]
    assert entries[1].detail["decision"] == "approved"


def test_a_csv_table_is_imported_with_its_title(importer):
    imported = do_import_rate_table(
        importer, file_name="satser.csv", content=RATE_TABLE_2026_CSV.encode(), title="Satsregulering 2026"
    )
    assert imported.title == "Satsregulering 2026"
    assert imported.file_format == "csv"
    assert imported.entry_count == 1


@pytest.mark.parametrize(
    ("file_name", "content", "message", "problem"),
    [
        ("satser.txt", RATE_TABLE_2026_YAML.encode(), "YAML-fil", None),
        ("satser.yaml", b"\xff\xfe not utf-8", "UTF-8", None),
        ("satser.yaml", b"   ", "tom", None),
        ("satser.yaml", b"title: [unclosed", "ikke gyldig", "filen er ikke gyldig YAML"),
        (
            "satser.yaml",
            RATE_TABLE_2026_YAML.replace("forhoejet_sats\n", "forhoejet_satz\n", 1).encode(),
            "ikke gyldig",
            "sats 1, parameter: ukendt parameter 'new_law.base_rates.forhoejet_satz'",
        ),
        (
            "satser.yaml",
            RATE_TABLE_2026_YAML.replace("value: 12900", "value: -5").encode(),
            "ikke gyldig",
            "sats 1, value: må ikke være negativ",
        ),
        (
            "satser.yaml",
            RATE_TABLE_2026_YAML.replace("value: 12900", "value: 12900.123").encode(),
            "ikke gyldig",
            "sats 1, value: skal være hele øre",
        ),
        (
            "satser.csv",
            RATE_TABLE_2026_CSV.replace("2026-01-01", "2026-13-01").encode(),
            "ikke gyldig",
            "række 2, effective_from: skal være en dato",
        ),
        ("satser.yaml", b"x" * 1_000_001, "1 MB", None),
    ],
    ids=[
        "wrong-type",
        "not-utf8",
        "empty",
        "bad-yaml",
        "unknown-parameter",
        "negative",
        "fraction-of-ore",
        "csv-date",
        "too-large",
    ],
)
def test_a_bad_file_is_refused_with_a_danish_reason_and_nothing_is_stored(
    importer, file_name, content, message, problem
):
    with pytest.raises(RateTableRefused) as refused:
        do_import_rate_table(importer, file_name=file_name, content=content)
    assert message in refused.value.message
    if problem:
        assert any(str(item).startswith(problem) for item in refused.value.problems), refused.value.problems
    assert not RateTableImport.objects.exists()
    assert not AuditEntry.objects.filter(object_type="benefits.ratetableimport").exists()


def test_a_table_that_conflicts_with_an_approved_one_cannot_be_approved(importer, approver):
    first = import_2026(importer)
    second = import_2026(importer)  # the same figures again: fine to import, overrides if approved
    do_approve_rate_table(approver, first.pk)
    do_approve_rate_table(approver, second.pk)  # a later table overrides an earlier one for the same dates
    assert calculate([SINGLE_HOUSEHOLD_2026], "2026-03")[0].total_ore == RATE_TABLE_2026_TOTAL_ORE


def test_the_pages_import_and_approve_a_table(importer, approver, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("satser-2026.yaml", RATE_TABLE_2026_YAML.encode(), content_type="application/x-yaml")
    response = client_for(importer).post(reverse("benefits:rate-tables"), {"file": upload, "title": ""})
    imported = RateTableImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("benefits:rate-table", args=[imported.pk])

    own_page = client_for(importer).get(reverse("benefits:rate-table", args=[imported.pk])).content.decode()
    assert "En anden person skal godkende" in own_page
    assert "Godkend</button>" not in own_page

    approver_client = client_for(approver)
    assert (
        "Godkend</button>" in approver_client.get(reverse("benefits:rate-table", args=[imported.pk])).content.decode()
    )
    response = approver_client.post(reverse("benefits:rate-table-approve", args=[imported.pk]), {"note": ""})
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.status == RateTableStatus.APPROVED


def test_the_page_shows_why_a_file_is_refused(importer, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = RATE_TABLE_2026_YAML.replace("value: 12900", "value: -5").encode()
    response = client_for(importer).post(
        reverse("benefits:rate-tables"), {"file": SimpleUploadedFile("satser.yaml", bad)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Satstabellen er ikke gyldig." in page
    assert "sats 1, value: må ikke være negativ" in page
    assert "Intet er gemt" in page
    assert not RateTableImport.objects.exists()


def test_approving_your_own_import_on_the_page_is_refused_clearly(importer, client_for):
    imported = import_2026(importer)
    response = client_for(importer).post(reverse("benefits:rate-table-approve", args=[imported.pk]), {"note": ""})
    assert response.status_code == 422
    assert "Du kan ikke selv godkende" in response.content.decode()
    imported.refresh_from_db()
    assert imported.status == RateTableStatus.PENDING


def test_the_api_imports_and_approves_with_problem_json_on_refusal(importer, approver, client_for):
    response = client_for(importer).post(
        reverse("api:benefits-rate-tables-import"),
        {"file_name": "satser.yaml", "content": RATE_TABLE_2026_YAML.replace("value: 12900", "value: -5")},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "må ikke være negativ" in response.json()["detail"]

    created = client_for(importer).post(
        reverse("api:benefits-rate-tables-import"),
        {"file_name": "satser.yaml", "content": RATE_TABLE_2026_YAML},
        content_type="application/json",
    )
    assert created.status_code == 201
    import_id = created.json()["id"]
    own = client_for(importer).post(
        reverse("api:benefits-rate-table-approve", kwargs={"import_id": import_id}), {}, content_type="application/json"
    )
    assert own.status_code == 422
    approved = client_for(approver).post(
        reverse("api:benefits-rate-table-approve", kwargs={"import_id": import_id}),
        {"note": "ok"},
        content_type="application/json",
    )
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "admin-godkender"


def test_the_database_refuses_a_self_approval_that_bypasses_the_action(importer):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    imported = import_2026(importer)
    with pytest.raises(IntegrityError), transaction.atomic():
        RateTableImport.objects.filter(pk=imported.pk).update(
            status=RateTableStatus.APPROVED, decided_by=importer, decided_at=timezone.now()
        )
