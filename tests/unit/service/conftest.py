"""Service tests on the in-memory unit of work: the real services and procedures, no
database."""

from __future__ import annotations

import pytest

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from tests.shared import START
from tests.unit.workflows._harness import fake_app


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def app(clock: FixedClock) -> App:
    return fake_app("dingan", clock)
