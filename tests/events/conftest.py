from __future__ import annotations

from collections.abc import Iterator

import pytest

from jobcenter.events import registry
from jobcenter.integrations.dfdg.fake import FakeDfdgClient


@pytest.fixture(autouse=True)
def empty_fake_dfdg() -> Iterator[type[FakeDfdgClient]]:
    FakeDfdgClient.reset()
    yield FakeDfdgClient
    FakeDfdgClient.reset()


@pytest.fixture
def test_handlers() -> Iterator[list[str]]:
    """Handlers registered for one test only: their names are removed from the registry afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        registry._HANDLERS.pop(name, None)
