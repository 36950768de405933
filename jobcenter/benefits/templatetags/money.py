"""Money and rates as people read them: øre in, '14.329,50 kr.' out."""

from __future__ import annotations

from django import template

from jobcenter.rules import ParameterValue, format_kroner
from jobcenter.rules.breakdown import parameter_source_text, parameter_value_text

register = template.Library()


@register.filter
def kroner(amount_ore: int | None) -> str:
    return "" if amount_ore is None else format_kroner(int(amount_ore))


@register.filter
def parameter_value(parameter: ParameterValue) -> str:
    return parameter_value_text(parameter)


@register.filter
def parameter_source(parameter: ParameterValue) -> str:
    return parameter_source_text(parameter)
