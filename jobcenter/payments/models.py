"""Monthly payment runs, the payments they make, and the ledger that records them.

Money is integer øre everywhere. The ledger is append-only double entry: every
transaction's entries sum to zero (payments/ledger.py, and a database trigger
on PostgreSQL). A grant is paid at most once per month: a unique constraint on
(grant, month) makes a second payment impossible, whatever crashes or repeats.
"""

from __future__ import annotations

import datetime
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
    offset_total_ore = models.BigIntegerField(default=0)
    outlier_count = models.PositiveIntegerField(default=0)
    # Progress, committed as the work goes, for the page and the command line.
    progress_phase = models.CharField(max_length=32, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    # The page's release button queues the release for the worker (payments.tasks.release_run);
    # who pressed it and when, and why the worker refused, if it did.
    release_queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    release_queued_at = models.DateTimeField(null=True, blank=True)
    release_error = models.CharField(max_length=500, blank=True)

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

    @property
    def release_waiting(self) -> bool:
        """Queued for the worker, which has not begun (or has not finished) the release."""
        return (
            self.release_queued_at is not None
            and not self.release_error
            and self.status in (RunStatus.APPROVED, RunStatus.RELEASING)
        )


class PaymentRunLine(models.Model):
    """One grant in a run, as the trial computed it: what will be paid and why.

    Written by the trial and never changed; release pays exactly these lines.
    """

    # A national trial writes a million lines in one transaction, so each index and each checked
    # foreign key costs (docs/benchmarks.md). The run needs no index of its own: the three
    # indexes below begin with it.
    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="lines", db_index=False)
    # The grant and its citizen are read from the grants in the trial's own transaction and are
    # not checked again as foreign keys: each check locks the grant's or citizen's row, two million
    # row locks per national trial. What is paid is checked: a payment's grant is a foreign key
    # (Payment.grant), so a line whose grant did not exist could not be paid. Grants and citizens
    # are not deleted (a grant's decisions protect it and are append-only).
    grant = models.ForeignKey("benefits.Grant", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    # The grant's citizen (one grant per citizen), copied for the run's pages and the payment file.
    citizen = models.ForeignKey(
        "citizens.Citizen", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    days = models.PositiveSmallIntegerField(_("dage med ret til hjælp"))
    full_month_ore = models.BigIntegerField(_("hel måned (øre)"))
    regular_ore = models.BigIntegerField(_("månedens hjælp (øre)"))
    correction_ore = models.BigIntegerField(_("efterregulering (øre)"))
    amount_ore = models.BigIntegerField(_("udbetales (øre)"))
    claim_ore = models.BigIntegerField(_("tilbagebetalingskrav (øre)"))
    # Deducted from the payment for decided claims (modregning); amount_ore is net - offset.
    offset_ore = models.BigIntegerField(_("modregning (øre)"), default=0)
    previous_ore = models.BigIntegerField(_("sidste måned (øre)"), null=True)
    outlier = models.CharField(_("afvigelse"), max_length=200, blank=True)
    corrections = models.JSONField(_("efterreguleringer"), default=list)
    # The month's day segments as the trial computed them, for the specification letter:
    # [decision version, days, full month (øre), amount (øre), share, row] each; (share, row)
    # finds the segment's breakdown in the run's PaymentRunBreakdowns.
    segments = models.JSONField(_("perioder"), default=list)

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


class RecalculationResolution(models.Model):
    """The payment whose correction settled a month marked for recalculation (benefits.RecalculationMark)."""

    mark = models.OneToOneField(
        "benefits.RecalculationMark", on_delete=models.PROTECT, primary_key=True, related_name="resolution"
    )
    payment = models.ForeignKey("payments.Payment", on_delete=models.PROTECT, related_name="resolved_marks")

    def __str__(self) -> str:
        return f"Genberegning {self.mark_id} afregnet"


class PaymentRunBreakdowns(models.Model):
    """The rules' breakdowns of a trial's month, stored once for the run: a block of households'
    facts and the rules' arrays (benefits/entitlement.stored_breakdowns), from which a line's
    specification letter prints its breakdown without running the rules again.

    Written with the run's lines and never changed."""

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="breakdowns", db_index=False)
    share = models.PositiveSmallIntegerField()  # the trial's share (0 without parallel workers)
    first_row = models.PositiveIntegerField()  # the block's first household row in its share's result
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "share", "first_row"], name="payment_run_breakdowns_one_per_block")
        ]

    def __str__(self) -> str:
        return f"Beregninger {self.share}:{self.first_row}"


class Payment(AppendOnlyModel):
    """A grant's payment for a month. At most one per grant and month, ever.

    The payments are the citizens' subsidiary ledger: the general ledger carries one
    transaction per chunk of a run with the control-account totals (`transaction`),
    and these rows carry each citizen's detail.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The run and the chunk's ledger transaction are checked once per statement, not per row: a
    # chunk's ten thousand payments share both, and PostgreSQL's per-row foreign-key checks of them
    # cost 19 s of a national release. On PostgreSQL a statement trigger refuses a payment whose run
    # or transaction does not exist (ledger.PG_PAYMENT_REFERENCES_CHECK); neither can be deleted
    # after (a ledger transaction is append-only, a run is held by its lines' foreign key).
    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="payments", db_constraint=False)
    # Indexed by the unique (grant, month) below, which begins with it.
    grant = models.ForeignKey("benefits.Grant", on_delete=models.PROTECT, related_name="payments", db_index=False)
    month = models.DateField(_("måned"))
    regular_ore = models.BigIntegerField()
    correction_ore = models.BigIntegerField()
    amount_ore = models.BigIntegerField()
    claim_ore = models.BigIntegerField()
    # The chunk's ledger transaction: its control entries sum this and the other payments of the chunk.
    transaction = models.ForeignKey(
        "payments.LedgerTransaction", on_delete=models.PROTECT, related_name="payments", db_constraint=False
    )
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


class PaymentSpecification(models.Model):
    """The specification letter of one payment, or why it was refused. At most one per payment, ever.

    Written once by `payments.tasks.issue_specifications`, in the same transaction as the
    letter; a refusal (the breakdown does not give what was paid) is kept with its reason
    and counted on the run's page instead of a letter that disagrees with the payment.
    """

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="specification")
    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="specifications")
    letter = models.OneToOneField(
        "letters.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="payment_specification"
    )
    refused = models.CharField(_("afvist"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["run", "refused"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(letter__isnull=False) & models.Q(refused=""))
                | (models.Q(letter__isnull=True) & ~models.Q(refused="")),
                name="payment_specification_letter_or_refusal",
            )
        ]

    def __str__(self) -> str:
        return f"Specifikation {self.payment_id}"


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


# --- Claims (tilbagebetalingskrav) and offsets (modregning): payments/claims.py -----------


class ClaimStatus(models.TextChoices):
    AWAITING = "awaiting", _("Afventer afgørelse")
    DECIDED = "decided", _("Afgjort: betales tilbage")
    WAIVED = "waived", _("Eftergivet")
    SETTLED = "settled", _("Indfriet")


class Claim(models.Model):
    """An overpayment the citizen owes back, booked by a release (the payment's `claim_ore`).

    Nothing is collected before a decision: the benefits officer decides it
    (repay, with legal basis and an offset per month) or waives it
    (eftergivelse), once. A decided claim is offset against later payments
    (ClaimOffset) until its balance is 0; then it is settled. Only the
    status, the decision fields (once) and `offset_total_ore` (by the
    release, in the payment's transaction) ever change; the constraints keep
    every state consistent in the database too.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="claims")
    grant = models.ForeignKey("benefits.Grant", on_delete=models.PROTECT, related_name="claims")
    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="claims")
    # The payment that booked the claim; its PaymentCorrection rows are the months and reasons.
    origin_payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="claim")
    amount_ore = models.BigIntegerField(_("krav (øre)"))
    status = models.CharField(_("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.AWAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    # Partshøring before a decision to repay (forvaltningslovens § 19; docs/payments.md): the same
    # benefits.Consultation, with its letter, as before a reduction or a stop (payments/claims.py).
    consultation = models.ForeignKey(
        "benefits.Consultation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The decision (once).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("afgjort"), null=True, blank=True)
    justification = models.TextField(_("begrundelse"), blank=True)
    legal_basis = models.CharField(_("lovgrundlag"), max_length=400, blank=True)
    offset_per_month_ore = models.BigIntegerField(_("modregning pr. måned (øre)"), null=True, blank=True)
    waiver_reason = models.TextField(_("begrundelse for eftergivelse"), blank=True)
    letter = models.ForeignKey("letters.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # What has been offset so far; the balance is amount - offset_total.
    offset_total_ore = models.BigIntegerField(_("modregnet (øre)"), default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["municipality", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_ore__gt=0), name="claim_amount_positive"),
            # Never more collected than owed, never less than nothing.
            models.CheckConstraint(
                condition=models.Q(offset_total_ore__gte=0, offset_total_ore__lte=models.F("amount_ore")),
                name="claim_offset_within_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["awaiting", "decided", "waived", "settled"]),
                name="claim_status_known",
            ),
            # Nothing is collected while a claim awaits its decision, nor after a waiver.
            models.CheckConstraint(
                condition=models.Q(status__in=["decided", "settled"]) | models.Q(offset_total_ore=0),
                name="claim_not_collected_undecided",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="awaiting") | models.Q(decided_by__isnull=True, decided_at__isnull=True),
                name="claim_awaiting_has_no_decision",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["decided", "settled"])
                | (
                    models.Q(
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                        offset_per_month_ore__gt=0,
                        offset_per_month_ore__lte=models.F("amount_ore"),
                    )
                    & ~models.Q(justification="")
                    & ~models.Q(legal_basis="")
                ),
                name="claim_decision_complete",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="waived")
                | (models.Q(decided_by__isnull=False, decided_at__isnull=False) & ~models.Q(waiver_reason="")),
                name="claim_waiver_complete",
            ),
            # Settled exactly when the whole amount is collected.
            models.CheckConstraint(
                condition=~models.Q(status="settled") | models.Q(offset_total_ore=models.F("amount_ore")),
                name="claim_settled_when_collected",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="decided") | models.Q(offset_total_ore__lt=models.F("amount_ore")),
                name="claim_decided_has_balance",
            ),
        ]
        verbose_name = _("tilbagebetalingskrav")
        verbose_name_plural = _("tilbagebetalingskrav")

    def __str__(self) -> str:
        return f"Krav {self.pk}"

    @property
    def balance_ore(self) -> int:
        return self.amount_ore - self.offset_total_ore

    # The partshøring as the claim's pages, letter and API show it.
    @property
    def consultation_sent_on(self) -> datetime.date | None:
        return self.consultation.sent_on if self.consultation else None

    @property
    def consultation_deadline(self) -> datetime.date | None:
        return self.consultation.deadline if self.consultation else None

    @property
    def consultation_reply_on(self) -> datetime.date | None:
        return self.consultation.reply_received_on if self.consultation else None

    @property
    def consultation_reply(self) -> str:
        return self.consultation.reply_summary if self.consultation else ""


class ClaimOffset(AppendOnlyModel):
    """Part of a claim collected by deducting it from a payment (modregning). Once per claim and payment."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="offsets")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="offsets")
    amount_ore = models.BigIntegerField(_("modregnet (øre)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "payment"], name="claim_offset_once_per_payment"),
            models.CheckConstraint(condition=models.Q(amount_ore__gt=0), name="claim_offset_positive"),
        ]
