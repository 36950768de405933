from django import template

from jobcenter.cases.queries import target_group_name as _target_group_name

register = template.Library()


@register.filter
def target_group_name(code: str) -> str:
    return _target_group_name(code)
