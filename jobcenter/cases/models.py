"""Cases, the journal, interviews, summonses, plans, offers and drafts.

The journal and the plan are append-only (jobcenter.audit.append_only): the
record of what was written and agreed is the municipality's documentation, for
the citizen and for state reimbursement, and is never rewritten.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobcenter.audit.append_only import AppendOnlyModel

# Limits with a reason: a journal entry is a note, not a document (those are
# attachments); 20,000 characters is about eight printed pages.
MAX_TEXT_CHARS = 20_000
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Åben")
    CLOSED = "closed", _("Lukket")


class Case(models.Model):
    """A citizen's case in one target group (målgruppe), from `opened_on` to `closed_on` (inclusive)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="cases")
    target_group = models.CharField(_("målgruppe"), max_length=64)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("sagsbehandler"),
    )
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(_("åbnet"))
    closed_on = models.DateField(_("lukket"), null=True, blank=True)
    contact_course_exempt = models.BooleanField(_("fritaget for kontaktforløb"), default=False)
    available = models.BooleanField(_("til rådighed"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "target_group"],
                condition=Q(status="open"),
                name="case_one_open_case_per_target_group",
            )
        ]
        indexes = [models.Index(fields=["municipality", "status", "caseworker"])]
        verbose_name = _("sag")
        verbose_name_plural = _("sager")

    def __str__(self) -> str:
        return f"{self.citizen_id} {self.target_group}"

    def covers(self, day: datetime.date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or day <= self.closed_on)


class JournalKind(models.TextChoices):
    NOTE = "note", _("Notat")
    INTERVIEW = "interview", _("Jobsamtale")
    SUMMONS = "summons", _("Indkaldelse")


class JournalEntry(AppendOnlyModel):
    """One journal entry. Never changed, never deleted; a correction is a new entry that `corrects` this one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="journal")
    kind = models.CharField(_("type"), max_length=16, choices=JournalKind.choices, default=JournalKind.NOTE)
    title = models.CharField(_("overskrift"), max_length=200)
    text = models.TextField(_("tekst"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    author_name = models.CharField(_("forfatter"), max_length=150)
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True, db_index=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("retter")
    )
    interview = models.ForeignKey(
        "cases.Interview", on_delete=models.PROTECT, null=True, blank=True, related_name="journal_entries"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("journalnotat")
        verbose_name_plural = _("journalnotater")

    def __str__(self) -> str:
        return self.title


class JournalAttachment(AppendOnlyModel):
    """A file attached to a journal entry when it was written.

    Kept in the database, beside the entry, so that backup, export and the
    append-only wall cover it exactly as they cover the entry.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="attachments")
    filename = models.CharField(_("filnavn"), max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")

    def __str__(self) -> str:
        return self.filename


class InterviewForm(models.TextChoices):
    IN_PERSON = "fremmoede", _("Fremmøde")
    PHONE = "telefon", _("Telefon")
    VIDEO = "video", _("Video")
    DIGITAL = "digital", _("Digital")


class InterviewOutcome(models.TextChoices):
    HELD = "held", _("Afholdt")
    NO_SHOW = "no_show", _("Udeblevet")
    CANCELLED_BY_CITIZEN = "cancelled_citizen", _("Aflyst af borgeren")
    CANCELLED_BY_JOBCENTRE = "cancelled_jobcentre", _("Aflyst af jobcentret")


class Interview(models.Model):
    """A job interview (jobsamtale): planned, summoned, then its outcome recorded once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interviews")
    scheduled_at = models.DateTimeField(_("tidspunkt"))
    form = models.CharField(_("form"), max_length=16, choices=InterviewForm.choices)
    location = models.CharField(_("sted eller link"), max_length=200, blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The outcome, written once by do_record_interview_outcome and never again.
    outcome = models.CharField(_("udfald"), max_length=24, choices=InterviewOutcome.choices, blank=True)
    held_form = models.CharField(_("afholdt som"), max_length=16, choices=InterviewForm.choices, blank=True)
    topics = models.TextField(_("emner"), blank=True)
    agreements = models.TextField(_("aftaler"), blank=True)
    next_steps = models.TextField(_("næste skridt"), blank=True)
    notes = models.TextField(_("notat"), blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["case", "scheduled_at"])]
        verbose_name = _("jobsamtale")
        verbose_name_plural = _("jobsamtaler")

    def __str__(self) -> str:
        return f"{self.scheduled_at:%Y-%m-%d %H:%M} {self.form}"

    @property
    def is_recorded(self) -> bool:
        return bool(self.outcome)


class Summons(models.Model):
    """The call to an interview. The letter itself is a `letters.Letter` (kind summons).

    Its delivery — sent through Digital Post, waiting for a retry, or handed to
    paper post — is the letter's delivery history (`letters.queries`), never
    stored here a second time.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="summonses")
    letter = models.OneToOneField("letters.Letter", on_delete=models.PROTECT, related_name="summons")
    title = models.CharField(_("titel"), max_length=200)
    body_text = models.TextField(_("brevtekst"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("indkaldelse")
        verbose_name_plural = _("indkaldelser")

    def __str__(self) -> str:
        return self.title


class PlanVersion(AppendOnlyModel):
    """One version of the citizen's plan (Min Plan). Saving the plan adds a version.

    Append-only because the plan is what was agreed with the citizen, and a
    sanction or a complaint turns on what the plan said on a given day.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="plan_versions")
    version = models.PositiveIntegerField(_("version"))
    goals = models.TextField(_("mål"))
    agreements = models.TextField(_("aftaler"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    author_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["citizen", "version"], name="plan_version_unique")]
        verbose_name = _("planversion")
        verbose_name_plural = _("planversioner")

    def __str__(self) -> str:
        return f"{self.citizen_id} v{self.version}"


class OfferKind(models.TextChoices):
    INTERNSHIP = "virksomhedspraktik", _("Virksomhedspraktik")
    WAGE_SUBSIDY = "loentilskud", _("Løntilskud")
    GUIDANCE = "vejledning", _("Vejledning og opkvalificering")


class OfferStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    ACTIVE = "active", _("I gang")
    COMPLETED = "completed", _("Afsluttet")
    CANCELLED = "cancelled", _("Afbrudt")


class Offer(models.Model):
    """An offer (tilbud) in a case, from `starts_on` to `ends_on`, both inclusive."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="offers")
    kind = models.CharField(_("tilbud"), max_length=32, choices=OfferKind.choices)
    provider = models.CharField(_("virksomhed eller udbyder"), max_length=200)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("slut (inklusive)"))
    status = models.CharField(_("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="offer_period")]
        verbose_name = _("tilbud")
        verbose_name_plural = _("tilbud")

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_on}–{self.ends_on}"


class Draft(models.Model):
    """What a caseworker is typing, saved while they type, until the entry it becomes is saved.

    Keyed by user and by what is being written (e.g. "journal:<case id>"), so
    a draft is only ever offered back to the person who wrote it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    key = models.CharField(max_length=100)
    content = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="draft_one_per_user_and_key")]
        verbose_name = _("kladde")
        verbose_name_plural = _("kladder")

    def __str__(self) -> str:
        return self.key
