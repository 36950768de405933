from __future__ import annotations

from django import template

from jobcenter.payments.account_names import account_name as _account_name

register = template.Library()


@register.filter
def account_name(account: str) -> str:
    """`{{ line.account|account_name }}`: the account's Danish name (payments/account_names.py)."""
    return _account_name(account)
