"""Upgrading a database with users to the user-administration log gives each existing user
a baseline entry, so `verify` has their roles to compare with from the start."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from db.engine import make_engine
from db.migrate import alembic_config, upgrade
from engine.adapters.clock import FixedClock
from engine.bootstrap import bootstrap
from engine.domain.integrity import Check
from tests.shared import START


def test_existing_users_get_a_baseline_entry(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
        conn.execute(
            sa.text(
                "INSERT INTO users (name, role, unit, display_name, active, password_hash, "
                "must_change_password, failed_logins) VALUES "
                "('admin', 'admin', '局办公室', '管理员', 1, 'x$hash', 0, 0), "
                "('wang', 'inspector', '县劳动保障监察大队', '王', 1, '', 0, 0)"
            )
        )
    upgrade(engine)
    app = bootstrap(url, clock=FixedClock(START), engine=engine)
    report = app.integrity.verify()
    assert report.broken == [] and report.users == 2
    app.users.set_role("wang", "supervisor", actor="admin")
    assert app.integrity.verify().broken == []
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE users SET active = 0 WHERE name = 'wang'"))
    [found] = app.integrity.verify().broken
    assert found.check is Check.USER and found.user == "wang" and "启用状态" in found.problem
    app.close()
