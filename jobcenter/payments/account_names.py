"""The ledger's accounts by the names a citizen reads on their statement (kontoudtog).

An account id (``payable:citizen:<uuid>``) is for the ledger; a page shows `account_name`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from jobcenter.payments.ledger import BANK, EXPENSE, EXPENSE_CORRECTION

CITIZEN_PAYABLE_PREFIX = "payable:citizen:"
CITIZEN_CLAIM_PREFIX = "receivable:claim:"


def account_name(account: str) -> str:
    """The Danish name of a ledger account; never the id, also for an account this does not know."""
    if account.startswith(CITIZEN_PAYABLE_PREFIX):
        return _("Udbetalt til dig")
    if account.startswith(CITIZEN_CLAIM_PREFIX):
        return _("Tilbagebetalingskrav")
    names = {
        EXPENSE: _("Kontanthjælp, kommunens udgift"),
        EXPENSE_CORRECTION: _("Efterregulering, kommunens udgift"),
        BANK: _("Overført til NemKonto"),
    }
    return names.get(account, _("Anden konto"))
