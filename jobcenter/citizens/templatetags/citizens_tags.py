"""The one way a list names a citizen: name, masked CPR number, and a link to the overview."""

from __future__ import annotations

from typing import Any

from django import template

from jobcenter.tenancy.roles import Permission

register = template.Library()


@register.inclusion_tag("citizens/_citizen_name.html", takes_context=True)
def citizen_name(context: template.Context, citizen: Any) -> dict[str, Any]:
    """`{% citizen_name citizen %}`: enough to tell two "Jens Ali" apart (the masked CPR number is the
    birth date), linked to the citizen's overview for a user who may open it (an auditor may not)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    may_open = bool(user is not None and user.is_authenticated and user.has_permission(Permission.CITIZENS_VIEW))
    return {"citizen": citizen, "may_open": may_open}
