"""Every way of tampering with the record in the database directly (raw SQL, as someone
holding the database credentials would) is found by `verify`: those a recomputed chain
hides, with the anchors written outside the database."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from db.cases import cases_t, history_t
from db.integrity import user_log_t
from db.repositories import attachments_t, documents_t
from db.tables import CaseAssigneeRow
from db.timers import timers_t
from db.users import users_t
from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.case import Case
from engine.domain.history import GENESIS, make_event
from engine.domain.integrity import Check, Finding
from engine.entrypoints.cli import app as cli_app
from tests.integration.helpers import advance_to_payment_ordered, open_complaint

assignees_t: sa.Table = CaseAssigneeRow.__table__  # type: ignore[attr-defined]


def _worked(app: App, clock: FixedClock) -> Case:
    """A case with a document (the payment order), a running deadline, an attachment and
    notes, next to an untouched one."""
    case = advance_to_payment_ordered(app, clock)
    app.cases.add_attachment(case.ref, "工资表.pdf", b"%PDF-1.4 wages", actor="wang")
    app.cases.add_note(case.ref, "已电话通知用人单位", actor="wang")
    app.cases.add_note(case.ref, "用人单位承诺按期支付", actor="li")
    open_complaint(app)
    return app.queries.get_case(case.ref).case


def _case_id(conn: sa.Connection, ref: str) -> int:
    return int(conn.execute(sa.select(cases_t.c.id).where(cases_t.c.ref == ref)).scalar_one())


def _rechain(conn: sa.Connection, ref: str) -> None:
    """Recompute a case's whole chain and its head, as a careful tamperer would."""
    case_id = _case_id(conn, ref)
    rows = conn.execute(
        sa.select(history_t).where(history_t.c.case_id == case_id).order_by(history_t.c.seq)
    ).mappings()
    prev, seq = GENESIS, 0
    for r in list(rows):
        seq += 1
        ev = make_event(
            case_ref=ref, seq=seq, prev_hash=prev, at=r["at"], actor=r["actor"],
            kind=r["kind"], trigger=r["trigger"], from_state=r["from_state"],
            to_state=r["to_state"], payload=r["payload"], reason=r["reason"],
        )  # fmt: skip
        conn.execute(
            sa.update(history_t)
            .where(history_t.c.id == r["id"])
            .values(seq=seq, prev_hash=prev, hash=ev.hash)
        )
        prev = ev.hash
    conn.execute(
        sa.update(cases_t)
        .where(cases_t.c.id == case_id)
        .values(last_seq=seq, last_hash=prev, version=seq)
    )


def _only(found: list[Finding], check: Check) -> Finding:
    hits = [f for f in found if f.check is check]
    assert len(hits) == 1, found
    return hits[0]


def test_a_clean_record_verifies_with_and_without_anchors(
    staffed: App, clock: FixedClock, tmp_path: Path
) -> None:
    _worked(staffed, clock)
    report = staffed.integrity.verify()
    assert report.broken == [] and report.checked == 2 and report.users > 0
    assert report.unreplayable == 0
    anchors = tmp_path / "anchors.jsonl"
    first = staffed.integrity.anchor(anchors)
    staffed.cases.add_note(open_complaint(staffed).ref, "又一件", actor="wang")
    second = staffed.integrity.anchor(anchors)
    assert (first.line, second.line) == (1, 2) and first.root != second.root
    assert len(first.short.replace(" ", "")) == 16 and first.cases == 2
    checked = staffed.integrity.verify(anchors)
    assert checked.broken == [] and checked.anchors == 2


def test_recomputing_a_chain_after_an_edit_is_caught_by_the_anchors(
    staffed: App, clock: FixedClock, tmp_path: Path
) -> None:
    case = _worked(staffed, clock)
    anchors = tmp_path / "anchors.jsonl"
    staffed.integrity.anchor(anchors)
    with staffed.db.begin() as conn:
        case_id = _case_id(conn, case.ref)
        note = (
            conn.execute(
                sa.select(history_t.c.seq).where(
                    history_t.c.case_id == case_id, history_t.c.kind == "note"
                )
            )
            .scalars()
            .first()
        )
        conn.execute(
            sa.update(history_t)
            .where(history_t.c.case_id == case_id, history_t.c.seq == note)
            .values(payload={"text": "用人单位已全额支付"})
        )
        _rechain(conn, case.ref)
    assert staffed.integrity.verify().broken == []  # the chain alone cannot tell
    found = _only(staffed.integrity.verify(anchors).broken, Check.ANCHOR_CHANGED)
    assert found.case_ref == case.ref and "锚定后被改动" in found.problem
    assert found.seq <= case.last_seq


def test_deleting_the_last_events_is_caught_by_the_anchors(
    staffed: App, clock: FixedClock, tmp_path: Path
) -> None:
    case = _worked(staffed, clock)
    anchors = tmp_path / "anchors.jsonl"
    staffed.integrity.anchor(anchors)
    last = case.last_seq
    with staffed.db.begin() as conn:
        case_id = _case_id(conn, case.ref)
        conn.execute(
            sa.delete(history_t).where(history_t.c.case_id == case_id, history_t.c.seq >= last - 1)
        )
        _rechain(conn, case.ref)
    assert staffed.integrity.verify().broken == []
    found = _only(staffed.integrity.verify(anchors).broken, Check.ANCHOR_TRUNCATED)
    assert (found.case_ref, found.seq) == (case.ref, last - 1)
    assert f"第 {last - 1} 至 {last} 条被删除" in found.problem


def test_deleting_a_whole_case_is_caught_by_the_anchors(
    staffed: App, clock: FixedClock, tmp_path: Path
) -> None:
    case = _worked(staffed, clock)
    anchors = tmp_path / "anchors.jsonl"
    staffed.integrity.anchor(anchors)
    with staffed.db.begin() as conn:
        case_id = _case_id(conn, case.ref)
        for table in (history_t, timers_t, documents_t, attachments_t, assignees_t):
            conn.execute(sa.delete(table).where(table.c.case_id == case_id))
        conn.execute(sa.delete(cases_t).where(cases_t.c.id == case_id))
    report = staffed.integrity.verify(anchors)
    found = _only(report.broken, Check.ANCHOR_DELETED)
    assert (found.case_ref, found.seq) == (case.ref, case.last_seq)
    assert report.checked == 1


def test_changing_a_cases_state_or_data_without_an_event_is_caught_by_the_replay(
    staffed: App, clock: FixedClock
) -> None:
    case = _worked(staffed, clock)
    with staffed.db.begin() as conn:
        data = dict(case.data)
        data["findings"] = {**data["findings"], "claimed": "1.00"}
        conn.execute(
            sa.update(cases_t)
            .where(cases_t.c.ref == case.ref)
            .values(state="closed_paid", data=data, assignees=["zhao"])
        )
    found = _only(staffed.integrity.verify().broken, Check.CASE_ROW)
    assert found.case_ref == case.ref
    assert "状态为 closed_paid" in found.problem and "findings" in found.problem
    assert "承办人为 zhao" in found.problem


def test_changing_a_documents_number_is_caught(staffed: App, clock: FixedClock) -> None:
    case = _worked(staffed, clock)
    [doc] = staffed.queries.get_case(case.ref).documents
    with staffed.db.begin() as conn:
        conn.execute(
            sa.update(documents_t)
            .where(documents_t.c.id == doc.id)
            .values(number="定人社监令〔2026〕99号")
        )
    found = _only(staffed.integrity.verify().broken, Check.DOCUMENT)
    assert found.case_ref == case.ref and doc.number in found.problem
    assert "99号" in found.problem


def test_changing_a_documents_data_with_its_number_kept_is_caught(
    staffed: App, clock: FixedClock
) -> None:
    case = _worked(staffed, clock)
    [doc] = staffed.queries.get_case(case.ref).documents
    with staffed.db.begin() as conn:
        conn.execute(
            sa.update(documents_t)
            .where(documents_t.c.id == doc.id)
            .values(data={**doc.data, "issued_on": "2025-01-01"})
        )
    found = _only(staffed.integrity.verify().broken, Check.DOCUMENT)
    assert "文书数据与签发记录不符" in found.problem


def test_replacing_an_attachments_bytes_even_with_its_hash_is_caught(
    staffed: App, clock: FixedClock
) -> None:
    import hashlib

    case = _worked(staffed, clock)
    forged = b"%PDF-1.4 forged wages table"
    with staffed.db.begin() as conn:
        conn.execute(
            sa.update(attachments_t)
            .where(attachments_t.c.case_id == _case_id(conn, case.ref))
            .values(content=forged, sha256=hashlib.sha256(forged).hexdigest(), size=len(forged))
        )
    found = _only(staffed.integrity.verify().broken, Check.ATTACHMENT)
    assert found.case_ref == case.ref and "工资表.pdf" in found.problem
    assert "附件被替换" in found.problem


def test_pushing_a_running_deadline_a_year_later_is_caught(staffed: App, clock: FixedClock) -> None:
    case = _worked(staffed, clock)
    [timer] = staffed.queries.get_case(case.ref).timers
    later = date.fromisoformat(timer.last_day) + timedelta(days=365)
    with staffed.db.begin() as conn:
        conn.execute(
            sa.update(timers_t)
            .where(timers_t.c.id == timer.id)
            .values(last_day=later.isoformat(), due_at=timer.due_at + timedelta(days=365))
        )
    found = _only(staffed.integrity.verify().broken, Check.TIMER)
    assert found.case_ref == case.ref
    assert f"届满日为 {later.isoformat()}" in found.problem and timer.last_day in found.problem


def test_cancelling_a_running_deadline_is_caught(staffed: App, clock: FixedClock) -> None:
    case = _worked(staffed, clock)
    with staffed.db.begin() as conn:
        conn.execute(
            sa.update(timers_t)
            .where(timers_t.c.case_id == _case_id(conn, case.ref))
            .values(status="cancelled")
        )
    found = _only(staffed.integrity.verify().broken, Check.TIMER)
    assert "已被撤销" in found.problem


def test_changing_a_users_role_is_caught_by_the_user_log(staffed: App) -> None:
    with staffed.db.begin() as conn:
        conn.execute(sa.update(users_t).where(users_t.c.name == "wang").values(role="head"))
    found = _only(staffed.integrity.verify().broken, Check.USER)
    assert found.user == "wang" and "角色为" in found.problem


def test_role_changes_through_the_service_are_logged(staffed: App) -> None:
    staffed.users.set_role("li", "supervisor", actor="admin")
    staffed.users.reset_password("zhao", actor="admin")
    assert staffed.integrity.verify().broken == []
    with staffed.db.begin() as conn:
        conn.execute(
            sa.update(users_t).where(users_t.c.name == "zhao").values(password_hash="x$forged")
        )
    found = _only(staffed.integrity.verify().broken, Check.USER)
    assert found.user == "zhao" and "密码" in found.problem


def test_rewriting_the_user_log_is_caught(staffed: App, tmp_path: Path) -> None:
    anchors = tmp_path / "anchors.jsonl"
    staffed.integrity.anchor(anchors)
    with staffed.db.begin() as conn:
        conn.execute(sa.update(user_log_t).where(user_log_t.c.seq == 2).values(role="admin"))
    found = _only(staffed.integrity.verify(anchors).broken, Check.USER_LOG)
    assert found.seq == 2


def test_cli_names_the_case_the_kind_and_the_event(
    staffed: App, clock: FixedClock, db_url: str, tmp_path: Path
) -> None:
    case = _worked(staffed, clock)
    anchors = tmp_path / "anchors.jsonl"
    runner = CliRunner()
    written = runner.invoke(cli_app, ["--db", db_url, "anchor", "--file", str(anchors)])
    assert written.exit_code == 0, written.output
    assert "根哈希" in written.stdout and anchors.exists()
    with staffed.db.begin() as conn:
        case_id = _case_id(conn, case.ref)
        conn.execute(
            sa.delete(history_t).where(
                history_t.c.case_id == case_id, history_t.c.seq == case.last_seq
            )
        )
        _rechain(conn, case.ref)
    plain = runner.invoke(cli_app, ["--db", db_url, "verify", "--anchors", str(anchors)])
    assert plain.exit_code == 1
    assert f"案件 {case.ref}" in plain.stdout and "ANCHOR_HISTORY_TRUNCATED" in plain.stdout
    assert f"第 {case.last_seq} 条" in plain.stdout
    as_json = runner.invoke(
        cli_app, ["--db", db_url, "verify", "--anchors", str(anchors), "--json"]
    )
    body = json.loads(as_json.stdout)
    assert body["ok"] is False and body["anchors"] == 1
    [hit] = body["broken"]
    assert (hit["case"], hit["code"], hit["seq"]) == (
        case.ref,
        "ANCHOR_HISTORY_TRUNCATED",
        case.last_seq,
    )
    missing = runner.invoke(cli_app, ["--db", db_url, "verify", "--anchors", "nope.jsonl"])
    assert missing.exit_code == 2 and "ANCHOR_FILE_NOT_FOUND" in missing.output


def test_an_edited_anchor_line_is_refused(staffed: App, tmp_path: Path) -> None:
    anchors = tmp_path / "anchors.jsonl"
    staffed.integrity.anchor(anchors)
    staffed.integrity.anchor(anchors)
    lines = anchors.read_text("utf-8").splitlines()
    anchors.write_text(lines[1] + "\n", "utf-8")  # the first line dropped
    found = _only(staffed.integrity.verify(anchors).broken, Check.ANCHOR_FILE)
    assert found.seq == 1 and "被删除或改动" in found.problem


def test_the_worker_writes_an_anchor_daily(staffed: App, tmp_path: Path) -> None:
    from engine.entrypoints.worker import build_scheduler

    anchors = tmp_path / "daily.jsonl"
    scheduler = build_scheduler(staffed, anchor_path=anchors, anchor_hour=22)
    job = scheduler.get_job("anchor")
    assert job is not None and "hour='22'" in str(job.trigger)
    job.func()
    assert staffed.integrity.verify(anchors).anchors == 1
    assert build_scheduler(staffed).get_job("anchor") is None
