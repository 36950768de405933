"""Monthly payment runs, the payments they make, and the ledger that records them.

Money is integer øre everywhere. The ledger is append-only double entry: every
transaction's entries sum to zero (payments/ledger.py, and a database trigger
on PostgreSQL). A grant is paid at most once per month: a unique constraint on
(grant, month) makes a second payment impossible, whatever crashes or repeats.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobcenter.audit.append_only import AppendOnlyModel


class RunStatus(models.TextChoices):
    COMPUTING = "computing", _("Beregnes")
    TRIAL = "trial", _("Prøvekørsel")
    APPROVED = "approved", _("Godkendt")
    RELEASING = "releasing", _("Udbetales")
    RELEASED = "released", _("Udbetalt")
    SUPERSEDED = "superseded", _("Erstattet af en ny prøvekørsel")


# Runs in these states hold the month: no new trial may be started for it.
BINDING_STATUSES = (RunStatus.APPROVED, RunStatus.RELEASING, RunStatus.RELEASED)


class PaymentRun(models.Model):
    """A municipality's payment run for one month: trial, approval by a second person, release."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("måned"))  # the first day
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.COMPUTING)
    payment_date = models.DateField(_("udbetalingsdag"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    # Totals of the trial (what is approved), in øre.
    grant_count = models.PositiveIntegerField(_("bevillinger"), default=0)
    payment_count = models.PositiveIntegerField(_("udbetalinger"), default=0)
    total_ore = models.BigIntegerField(_("i alt (øre)"), default=0)
    regular_total_ore = models.BigIntegerField(default=0)
    correction_total_ore = models.BigIntegerField(default=0)
    claim_total_ore = models.BigIntegerField(default=0)
    outlier_count = models.PositiveIntegerField(default=0)
    # Progress, committed as the work goes, for the page and the command line.
    progress_phase = models.CharField(max_length=32, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-month", "-started_at"]
        constraints = [
            # Four eyes, also in the database: the person who started the run cannot approve it.
            models.CheckConstraint(
                condition=~models.Q(approved_by=models.F("started_by")), name="payment_run_approved_by_another_person"
            ),
            models.UniqueConstraint(
                fields=["municipality", "month"],
                condition=~models.Q(status="superseded"),
                name="payment_run_one_live_run_per_month",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["computing", "trial", "superseded"])
                | models.Q(approved_by__isnull=False, approved_at__isnull=False),
                name="payment_run_approved_before_release",
            ),
        ]
        verbose_name = _("udbetalingskørsel")
        verbose_name_plural = _("udbetalingskørsler")

    def __str__(self) -> str:
        return f"{self.municipality.code} {self.month:%Y-%m}"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class PaymentRunLine(models.Model):
    """One grant in a run, as the trial computed it: what will be paid and why.

    Written by the trial and never changed; release pays exactly these lines.
    """

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="lines")
    grant = models.ForeignKey("benefits.Grant", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField(_("dage med ret til hjælp"))
    full_month_ore = models.BigIntegerField(_("hel måned (øre)"))
    regular_ore = models.BigIntegerField(_("månedens hjælp (øre)"))
    correction_ore = models.BigIntegerField(_("efterregulering (øre)"))
    amount_ore = models.BigIntegerField(_("udbetales (øre)"))
    claim_ore = models.BigIntegerField(_("tilbagebetalingskrav (øre)"))
    previous_ore = models.BigIntegerField(_("sidste måned (øre)"), null=True)
    outlier = models.CharField(_("afvigelse"), max_length=200, blank=True)
    corrections = models.JSONField(_("efterreguleringer"), default=list)

    class Meta:
        ordering = ["run", "id"]
        indexes = [
            models.Index(fields=["run", "outlier"]),
            # The release reads a run's lines in id order, a chunk at a time (one index range per chunk).
            models.Index(fields=["run", "id"], name="payment_run_line_run_id_order"),
        ]
        constraints = [models.UniqueConstraint(fields=["run", "grant"], name="payment_run_line_one_per_grant")]

    def __str__(self) -> str:
        return f"Linje {self.pk}"


class Payment(AppendOnlyModel):
    """A grant's payment for a month. At most one per grant and month, ever.

    The payments are the citizens' subsidiary ledger: the general ledger carries one
    transaction per chunk of a run with the control-account totals (`transaction`),
    and these rows carry each citizen's detail.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="payments")
    grant = models.ForeignKey("benefits.Grant", on_delete=models.PROTECT, related_name="payments")
    month = models.DateField(_("måned"))
    regular_ore = models.BigIntegerField()
    correction_ore = models.BigIntegerField()
    amount_ore = models.BigIntegerField()
    claim_ore = models.BigIntegerField()
    # The chunk's ledger transaction: its control entries sum this and the other payments of the chunk.
    transaction = models.ForeignKey("payments.LedgerTransaction", on_delete=models.PROTECT, related_name="payments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grant", "month"], name="payment_once_per_grant_and_month"),
            models.CheckConstraint(condition=models.Q(amount_ore__gte=0), name="payment_amount_not_negative"),
        ]


class PaymentCorrection(AppendOnlyModel):
    """What should have been paid for an earlier month minus what was, paid with a later payment."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="corrections")
    grant = models.ForeignKey("benefits.Grant", on_delete=models.PROTECT, related_name="+")
    for_month = models.DateField(_("for måned"))
    should_ore = models.BigIntegerField()
    paid_ore = models.BigIntegerField()
    difference_ore = models.BigIntegerField()
    reason = models.CharField(max_length=400)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["payment", "for_month"], name="payment_correction_once_per_month")
        ]
        indexes = [models.Index(fields=["grant", "for_month"])]


class LedgerTransaction(AppendOnlyModel):
    """A balanced set of ledger entries: their amounts sum to zero."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(max_length=200)
    booked_on = models.DateField(_("bogført"))
    created_at = models.DateTimeField(auto_now_add=True)


class LedgerEntry(AppendOnlyModel):
    """One line of a transaction: debit is positive, credit negative, in øre."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.CharField(_("konto"), max_length=80)
    # The citizen the entry concerns (the citizen's own accounts), for the statement. A plain id, not a
    # foreign key: a national run writes millions of entries, and the transaction's payment already
    # ties it to the grant and the citizen.
    citizen_id = models.UUIDField(null=True, blank=True)
    amount_ore = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["citizen_id", "transaction"])]
        constraints = [models.CheckConstraint(condition=~models.Q(amount_ore=0), name="ledger_entry_not_zero")]
