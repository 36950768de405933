from __future__ import annotations

import datetime
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from jobcenter.citizens.cpr import formatted_cpr, masked_cpr


class Citizen(models.Model):
    """A person the municipality serves. Identified inside the system by `id`;
    the CPR number is a fact about the person, never an address."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, related_name="citizens")
    cpr = models.CharField(_("CPR-nummer"), max_length=10)
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("efternavn"), max_length=100)
    birth_date = models.DateField(_("fødselsdato"))
    street = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    city = models.CharField(_("by"), max_length=100, blank=True)
    cpr_refreshed_at = models.DateTimeField(_("hentet fra CPR"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "cpr"], name="citizen_unique_cpr_per_municipality")
        ]
        indexes = [models.Index(fields=["municipality", "last_name", "first_name"])]
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_cpr(self) -> str:
        return masked_cpr(self.cpr)

    @property
    def formatted_cpr(self) -> str:
        return formatted_cpr(self.cpr)

    @property
    def address_line(self) -> str:
        if not self.street:
            return ""
        return f"{self.street}, {self.postcode} {self.city}".strip()

    def age_on(self, day: datetime.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class RelationKind(models.TextChoices):
    SPOUSE = "spouse", _("Ægtefælle")
    COHABITANT = "cohabitant", _("Samlever")
    CHILD_IN_CUSTODY = "child_in_custody", _("Barn i forældremyndighed")


class HouseholdRelation(models.Model):
    """A relation from the CPR register, from `valid_from` to `valid_to` (inclusive; None = still valid).

    The related person is named by CPR number, and linked when they are a
    citizen of the same municipality. Replaced as a whole at each CPR refresh.
    """

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("relation"), max_length=24, choices=RelationKind.choices)
    related_cpr = models.CharField(_("CPR-nummer"), max_length=10)
    related_citizen = models.ForeignKey(
        Citizen, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("borger")
    )
    valid_from = models.DateField(_("fra"))
    valid_to = models.DateField(_("til (inklusive)"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "valid_from"]
        verbose_name = _("husstandsrelation")
        verbose_name_plural = _("husstandsrelationer")

    def __str__(self) -> str:
        return f"{self.kind} {self.valid_from}"

    @property
    def masked_cpr(self) -> str:
        return masked_cpr(self.related_cpr)

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
