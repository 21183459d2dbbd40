"""Shared fixtures: a fresh database per test on SQLite and, where a server is reachable,
PostgreSQL (CASEFLOW_TEST_POSTGRES_URL); a fixed clock; demo users."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.engine import make_engine, normalise_url
from db.idle import KEPT
from db.migrate import upgrade
from db.tables import METADATA
from engine.adapters.clock import FixedClock
from engine.bootstrap import App, bootstrap
from tests.shared import START, add_staff

PG_ENV = "CASEFLOW_TEST_POSTGRES_URL"


@sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
def _no_statement_on_a_kept_connection(conn: sa.Connection, *_: object) -> None:
    """A connection kept between units of work (db/idle.py) runs nothing until a unit of
    work takes it again: what outlives its unit of work and still runs a statement on it
    fails the test instead of running outside any transaction of its own."""
    if conn.info.get(KEPT):
        raise AssertionError("a statement on a connection kept between units of work")


IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV)


def _pg_reachable(url: str) -> str | None:
    try:
        engine = make_engine(url)
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A PostgreSQL database for this test session, migrated to head."""
    url = _pg_admin_url()
    if not url:
        if IN_CI:
            pytest.fail(f"CI=true but {PG_ENV} is not set: the PostgreSQL tests may not skip in CI")
        pytest.skip(
            f"PostgreSQL tests skipped: set {PG_ENV} (e.g. postgresql://postgres@127.0.0.1/postgres)"
        )
    problem = _pg_reachable(url)
    if problem:
        if IN_CI:
            pytest.fail(f"CI=true but PostgreSQL at {url} is not reachable: {problem}")
        pytest.skip(f"PostgreSQL tests skipped: server at {url} not reachable ({problem})")
    name = f"caseflow_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    test_url = sa.engine.make_url(normalise_url(url)).set(database=name)
    rendered = test_url.render_as_string(hide_password=False)
    engine = make_engine(rendered)
    upgrade(engine)
    engine.dispose()
    yield rendered
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once keeps tests fast)."""
    path = tmp_path_factory.mktemp("template") / "caseflow.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    return path


def truncate_pg(url: str) -> None:
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in METADATA.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        target = tmp_path / "caseflow.db"
        shutil.copy(sqlite_template, target)
        return f"sqlite:///{target}"
    url: str = request.getfixturevalue("pg_database")
    truncate_pg(url)
    return url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def app(db_url: str, clock: FixedClock) -> Iterator[App]:
    application = bootstrap(db_url, clock=clock, county="dingan")
    yield application
    application.close()


@pytest.fixture
def staffed(app: App) -> App:
    add_staff(app)
    return app
