"""Rate tables (satsregulering) as the benefits office imports and approves them.

A table takes effect only once a second person has approved it
(benefits/actions.py). Its text is kept exactly as uploaded, so an auditor can
see what was imported, by whom, and who let it take effect.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobcenter.audit.append_only import AppendOnlyModel
from jobcenter.rules import RateTable


class RateTableStatus(models.TextChoices):
    PENDING = "pending", _("Afventer godkendelse")
    APPROVED = "approved", _("Godkendt")
    REJECTED = "rejected", _("Afvist")


class RateTableFormat(models.TextChoices):
    YAML = "yaml", "YAML"
    CSV = "csv", "CSV"


class RateTableImport(models.Model):
    """One imported rate table and the decision on it.

    Only the status and the decision fields ever change, once, from pending
    to approved or rejected; everything else is written at import.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("titel"), max_length=200)
    file_name = models.CharField(_("filnavn"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4, choices=RateTableFormat.choices)
    source_text = models.TextField(_("filens indhold"))
    # The validated table (RateTable.model_dump_json()): what calculations use.
    table_json = models.JSONField(_("satstabel"))
    entry_count = models.PositiveIntegerField(_("antal satser"))
    status = models.CharField(
        _("status"), max_length=8, choices=RateTableStatus.choices, default=RateTableStatus.PENDING
    )
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("importeret"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("besluttet"), null=True, blank=True)
    decision_note = models.TextField(_("begrundelse"), blank=True)

    class Meta:
        ordering = ["-imported_at"]
        indexes = [models.Index(fields=["status", "decided_at"])]
        constraints = [
            # The four-eyes rule, also in the database: nobody approves their own import.
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("imported_by")),
                name="rate_table_decided_by_another_person",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="rate_table_decision_complete",
            ),
        ]
        verbose_name = _("satstabel")
        verbose_name_plural = _("satstabeller")

    def __str__(self) -> str:
        return self.title

    @property
    def table(self) -> RateTable:
        return RateTable.model_validate(self.table_json)


# --- Grants and decisions ---------------------------------------------------------


class DecisionKind(models.TextChoices):
    GRANT = "bevilling", _("Bevilling")
    CHANGE = "aendring", _("Ændring")
    REDUCTION = "nedsaettelse", _("Nedsættelse")
    STOP = "standsning", _("Standsning")
    # A deduction for the days of a missed interview (LAS § 37): it removes the help
    # only within its own period and leaves every other day to the versions around it.
    SANCTION = "sanktion", _("Sanktion")


# A reduction, a stop or a sanction is to the citizen's disadvantage: forvaltningslovens
# § 19 requires partshøring before it (benefits/actions.py refuses the decision until
# the deadline has passed or the citizen has answered).
KINDS_REQUIRING_CONSULTATION = frozenset({DecisionKind.REDUCTION, DecisionKind.STOP, DecisionKind.SANCTION})
# The kinds whose partshøring may be left out under forvaltningslovens § 19, stk. 2, nr. 1
# (the facts come from the citizen's own information), with that justification stored.
# Not a sanction: a missed interview is not something the citizen has told us.
KINDS_ALLOWING_CONSULTATION_EXEMPTION = frozenset({DecisionKind.REDUCTION, DecisionKind.STOP})
# Kinds that carry no household facts: a stop ends the help, a sanction removes days of it.
KINDS_WITHOUT_FACTS = frozenset({DecisionKind.STOP, DecisionKind.SANCTION})


class ConsultationKind(models.TextChoices):
    """What a partshøring is about: a decision to the citizen's disadvantage on the grant, or a claim
    (payments.Claim.consultation). One mechanism for both (benefits/actions.py)."""

    REDUCTION = "nedsaettelse", _("Nedsættelse")
    STOP = "standsning", _("Standsning")
    SANCTION = "sanktion", _("Sanktion")
    CLAIM = "tilbagebetaling", _("Tilbagebetalingskrav")


class Grant(models.Model):
    """A citizen's kontanthjælp (bevilling): what the latest decision version says.

    The decisions are the record; the grant is the current state, kept by the
    actions in benefits/actions.py. One grant per citizen.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    citizen = models.OneToOneField("citizens.Citizen", on_delete=models.PROTECT, related_name="grant")
    latest_decision = models.ForeignKey(
        "benefits.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # From the latest decision: the period the help is granted for (inclusive; open when None).
    effective_from = models.DateField(_("gælder fra"))
    effective_to = models.DateField(_("gælder til og med"), null=True, blank=True)
    # The citizen has a NemKonto (the NemKonto register resolves CPR -> account; we keep no account numbers).
    has_nemkonto = models.BooleanField(_("har NemKonto"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["municipality", "effective_from"])]
        verbose_name = _("bevilling")
        verbose_name_plural = _("bevillinger")

    def __str__(self) -> str:
        return f"Bevilling {self.pk}"


class Consultation(models.Model):
    """Partshøring before a reduction, a stop, a sanction or a claim: sent (with its letter), deadline,
    and the reply when it comes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="consultations")
    intended_kind = models.CharField(_("påtænkt afgørelse"), max_length=16, choices=ConsultationKind.choices)
    subject = models.TextField(_("hvad borgeren høres om"))
    sent_on = models.DateField(_("sendt"))
    deadline = models.DateField(_("svarfrist"))
    reply_received_on = models.DateField(_("svar modtaget"), null=True, blank=True)
    reply_summary = models.TextField(_("svar"), blank=True)
    # Empty only for a claim's partshøring recorded before claims used this model (its creator was not kept).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(deadline__gte=models.F("sent_on")), name="consultation_deadline")
        ]
        verbose_name = _("partshøring")
        verbose_name_plural = _("partshøringer")

    def __str__(self) -> str:
        return f"Partshøring {self.sent_on}"


class Decision(AppendOnlyModel):
    """One version of the decision (afgørelse) behind a grant. Never changed:
    a change is a new version that points to the previous one.

    A version takes effect from `effective_from`; from that day it supersedes
    every earlier version. `facts` is the household as the rules take it
    (HouseholdInput JSON); a stop has none.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="decisions")
    version = models.PositiveIntegerField(_("version"))
    previous = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="next")
    kind = models.CharField(_("art"), max_length=16, choices=DecisionKind.choices)
    effective_from = models.DateField(_("gælder fra"))
    effective_to = models.DateField(_("gælder til og med"), null=True, blank=True)
    facts = models.JSONField(_("oplysninger"), null=True, blank=True)
    justification = models.TextField(_("begrundelse"))
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Instead of a consultation: why forvaltningslovens § 19, stk. 2, nr. 1 applies (flagged for legal review).
    consultation_exemption = models.TextField(_("undtagelse fra partshøring (fvl. § 19, stk. 2, nr. 1)"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["grant", "version"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "version"], name="decision_one_version_number_per_grant"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="decision_period_not_reversed",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["standsning", "sanktion"]) | models.Q(facts__isnull=False),
                name="decision_facts_unless_stop_or_sanction",
            ),
            # A sanction is temporary: it always has an end.
            models.CheckConstraint(
                condition=~models.Q(kind="sanktion") | models.Q(effective_to__isnull=False),
                name="decision_sanction_has_an_end",
            ),
        ]
        verbose_name = _("afgørelse")
        verbose_name_plural = _("afgørelser")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


# --- The benefits officer's inbox: proposals from the jobcentre's events ------------


class ProposalKind(models.TextChoices):
    STOP = "stop", _("Standsning ved jobstart")
    PAUSE = "pause", _("Standsning ved manglende rådighed")
    RESUME = "resume", _("Genoptagelse ved rådighed")
    SANCTION = "sanction", _("Vurdering af sanktion (udeblivelse)")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Åben")
    ACCEPTED = "accepted", _("Accepteret")
    REJECTED = "rejected", _("Afvist")


class Proposal(models.Model):
    """A proposal (or task) in the benefits officer's inbox, made from one event of the jobcentre.

    Decided once, like a rate table: only the status and the decision fields
    ever change, once, from open to accepted or rejected; the database checks
    that a decided proposal says who decided, when, and (rejected) why or
    (accepted) which decision it made. One proposal per event.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("art"), max_length=8, choices=ProposalKind.choices)
    event = models.OneToOneField("events.OutboxEvent", on_delete=models.PROTECT, related_name="benefits_proposal")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="+")
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="proposals")
    # The day the proposal takes effect from: job start, availability change, the missed interview's day.
    effective_from = models.DateField(_("fra"))
    # The event's facts as the jobcentre recorded them (its payload: ids, dates, employer, reason).
    facts = models.JSONField(_("oplysninger"))
    status = models.CharField(_("status"), max_length=8, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("besluttet"), null=True, blank=True)
    rejection_reason = models.TextField(_("begrundelse for afvisning"), blank=True)
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="proposal")
    letter = models.ForeignKey("letters.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["municipality", "status", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status="open",
                        decided_by__isnull=True,
                        decided_at__isnull=True,
                        decision__isnull=True,
                        letter__isnull=True,
                        rejection_reason="",
                    )
                    | models.Q(
                        status="accepted",
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                        decision__isnull=False,
                        letter__isnull=False,
                        rejection_reason="",
                    )
                    | (
                        models.Q(
                            status="rejected",
                            decided_by__isnull=False,
                            decided_at__isnull=False,
                            decision__isnull=True,
                            letter__isnull=True,
                        )
                        & ~models.Q(rejection_reason="")
                    )
                ),
                name="proposal_decision_complete",
            ),
        ]
        verbose_name = _("forslag")
        verbose_name_plural = _("forslag")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_from}"


# --- Income (eIndkomst) -----------------------------------------------------------


class IncomeReport(AppendOnlyModel):
    """A person's income for a month as the income register reported it.

    A later report for the same month replaces the earlier one in
    calculations; both stay.
    """

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("måned"))  # the first day of the month
    work_income_ore = models.BigIntegerField(_("arbejdsindkomst (øre)"))
    work_hours = models.DecimalField(_("arbejdstimer"), max_digits=6, decimal_places=2, default=0)
    reference = models.CharField(_("indberetning"), max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["citizen", "month", "received_at", "id"]
        indexes = [models.Index(fields=["citizen", "month"])]
        constraints = [models.CheckConstraint(condition=models.Q(work_income_ore__gte=0), name="income_not_negative")]
        verbose_name = _("indkomst")
        verbose_name_plural = _("indkomster")

    def __str__(self) -> str:
        return f"Indkomst {self.month:%Y-%m}"


class RecalculationMark(models.Model):
    """A month of a grant that must be recalculated: the next run pays the difference.

    Set when income arrives late for a month already paid, or when a decision
    takes effect in a month already paid (which months are paid, benefits asks the
    payments app's ledger: entitlement.paid_ledger). The run that corrects it records
    the payment in the payments app (payments.RecalculationResolution).
    """

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="recalculations")
    month = models.DateField(_("måned"))
    reason = models.CharField(_("årsag"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["grant", "month"])]
        verbose_name = _("genberegning")
        verbose_name_plural = _("genberegninger")

    def __str__(self) -> str:
        return f"Genberegning {self.month:%Y-%m}"
