"""Fixtures of the end-to-end tests. `bureau` runs on SQLite and PostgreSQL (the `staffed`
fixture); `sqlite_bureau` and `shuangpai` on SQLite only, which keeps the PostgreSQL run to
the examples that exercise the store most (wage arrears, fund supervision, child labour)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.adapters.clock import FixedClock
from engine.bootstrap import App, bootstrap
from tests.e2e._support import Bureau
from tests.shared import add_staff


@pytest.fixture
def bureau(staffed: App, clock: FixedClock) -> Bureau:
    return Bureau(staffed, clock)


def _sqlite_app(county: str, tmp_path: Path, template: Path, clock: FixedClock) -> App:
    target = tmp_path / f"{county}.db"
    shutil.copy(template, target)
    app = bootstrap(f"sqlite:///{target}", clock=clock, county=county)
    add_staff(app)
    return app


@pytest.fixture
def sqlite_bureau(tmp_path: Path, sqlite_template: Path, clock: FixedClock) -> Iterator[Bureau]:
    app = _sqlite_app("dingan", tmp_path, sqlite_template, clock)
    yield Bureau(app, clock)
    app.db.dispose()


@pytest.fixture
def shuangpai(tmp_path: Path, sqlite_template: Path, clock: FixedClock) -> Iterator[Bureau]:
    app = _sqlite_app("shuangpai", tmp_path, sqlite_template, clock)
    yield Bureau(app, clock)
    app.db.dispose()
