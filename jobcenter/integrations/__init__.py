"""National services behind interfaces; settings pick the implementation, fakes by default."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings


def load_client(setting: str, default: str) -> Any:
    """The implementation named by `setting` ('package.module.ClassName'), the fake when unset."""
    path = getattr(settings, setting, None) or default
    module_name, _, class_name = path.rpartition(".")
    return getattr(import_module(module_name), class_name)()
