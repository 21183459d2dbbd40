"""`verify` recomputes every hash chain and finds an edited history row."""

from __future__ import annotations

import json

import sqlalchemy as sa
from typer.testing import CliRunner

from db.cases import cases_t, history_t
from engine.bootstrap import App
from engine.entrypoints.cli import app as cli_app
from tests.integration.helpers import open_complaint


def test_edited_history_row_is_caught(staffed: App, db_url: str) -> None:
    svc = staffed
    good = open_complaint(staffed)
    bad = open_complaint(staffed)
    for ref in (good.ref, bad.ref):
        svc.cases.fire(ref, "accept", {"summary": "受理"}, actor="wang")
        svc.cases.add_note(ref, "已调取考勤记录", actor="wang")
    assert svc.queries.verify().broken == []

    # Someone edits the second event of one case directly in the database.
    with staffed.db.begin() as conn:
        case_id = conn.execute(sa.select(cases_t.c.id).where(cases_t.c.ref == bad.ref)).scalar_one()
        conn.execute(
            sa.update(history_t)
            .where(history_t.c.case_id == case_id, history_t.c.seq == 2)
            .values(payload={"summary": "改过的内容"})
        )

    report = svc.queries.verify()
    assert report.checked == 2
    assert [(b.case_ref, b.seq) for b in report.broken] == [(bad.ref, 2)]
    assert "被改动" in report.broken[0].problem

    runner = CliRunner()
    plain = runner.invoke(cli_app, ["--db", db_url, "verify"])
    assert plain.exit_code == 1
    assert bad.ref in plain.stdout and "第 2 条" in plain.stdout
    as_json = runner.invoke(cli_app, ["--db", db_url, "verify", "--json"])
    body = json.loads(as_json.stdout)
    assert body["ok"] is False and body["broken"][0]["case"] == bad.ref


def test_removed_row_breaks_the_chain(staffed: App) -> None:
    svc = staffed
    case = open_complaint(staffed)
    for text in ("一", "二", "三"):
        svc.cases.add_note(case.ref, text, actor="wang")
    with staffed.db.begin() as conn:
        conn.execute(sa.delete(history_t).where(history_t.c.seq == 3))
    [link] = svc.queries.verify().broken
    assert link.seq == 4 and "序号不连续" in link.problem
