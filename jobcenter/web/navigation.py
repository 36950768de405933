"""The menu each role sees: only the pages its permissions open."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jobcenter.tenancy.roles import Permission


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    permission: Permission | None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MENU = [
    MenuItem(_("Forside"), "web:start", None),
    MenuItem(_("Borgere"), "citizens:search", Permission.CITIZENS_VIEW),
    MenuItem(_("Beregn ydelse"), "benefits:calculate", Permission.BENEFITS_CALCULATE),
    MenuItem(_("Satstabeller"), "benefits:rate-tables", Permission.RATES_MANAGE),
    MenuItem(_("Arbejdsliste"), "cases:worklist", Permission.CASES_EDIT),
    MenuItem(_("Teamoverblik"), "cases:team-overview", Permission.CASES_TEAM_OVERVIEW),
    MenuItem(_("Papirpost"), "letters:paper-queue", Permission.LETTERS_POST),
    MenuItem(_("Bevillinger"), "benefits:grants", Permission.GRANTS_VIEW),
    # The benefits office's inbox: in the menu of those who decide on it, not the caseworker's (whose own
    # work is the worklist); the page itself stays open to grants.view (docs/roles.md).
    MenuItem(_("Indbakke"), "benefits:inbox", Permission.GRANTS_DECIDE),
    MenuItem(_("Udbetalinger"), "payments:runs", Permission.PAYMENTS_VIEW),
    MenuItem(_("Tilbagebetalingskrav"), "payments:claims", Permission.PAYMENTS_VIEW),
    MenuItem(_("Revisionsspor"), "audit:search", Permission.AUDIT_VIEW),
    MenuItem(_("Drift"), "web:operations", Permission.OPERATIONS_VIEW),
    MenuItem(_("Brugere"), "tenancy:users", Permission.USERS_VIEW),
    MenuItem(_("Kommuner"), "tenancy:municipalities", Permission.MUNICIPALITIES_VIEW),
]


def menu_for(user) -> list[MenuItem]:  # type: ignore[no-untyped-def]
    if not user.is_authenticated:
        return []
    return [item for item in MENU if item.permission is None or user.has_permission(item.permission)]
