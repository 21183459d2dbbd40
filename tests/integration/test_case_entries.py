"""A case's growing lists (its payments and services) are rows of `case_entries`, not part
of the case row: a command on a case with many of them reads and writes none of them, the
lists read back whole wherever they are shown, `verify` checks them against the history,
and migration 0013 moves the lists of an existing database out of the case rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import event

from db.case_entries import entries_t
from db.cases import cases_t
from db.engine import make_engine
from db.migrate import alembic_config, upgrade
from engine.adapters.clock import FixedClock
from engine.bootstrap import App, bootstrap
from engine.deadlines import LOCAL_TZ
from engine.domain.entries import EntryList
from engine.domain.integrity import Check
from tests.integration.helpers import advance_to_payment_ordered
from tests.shared import add_staff

PAYMENTS = 12
_ONE_INSERT = {"postgresql": ["INSERT"], "sqlite": []}
"""A payment's entry row: one INSERT of its own on PostgreSQL; on SQLite the step's one
statement inserts it (db/case_steps.py), so no statement names the table."""


def _paid(app: App, clock: FixedClock, times: int = PAYMENTS) -> str:
    case = advance_to_payment_ordered(app, clock)
    clock.set(clock.now() + timedelta(days=1))
    today = clock.now().astimezone(LOCAL_TZ).date().isoformat()
    for _ in range(times):
        app.cases.fire(case.ref, "record_payment", {"amount": "1", "paid_on": today}, actor="wang")
    return case.ref


def _row_data(app: App, ref: str) -> dict[str, Any]:
    with app.db.connect() as conn:
        data = conn.execute(sa.select(cases_t.c.data).where(cases_t.c.ref == ref)).scalar_one()
    return dict(data)


def _entries(app: App, key: str) -> list[Any]:
    with app.db.connect() as conn:
        rows = conn.execute(
            sa.select(entries_t.c.item).where(entries_t.c.key == key).order_by(entries_t.c.seq)
        )
        return list(rows.scalars())


@contextmanager
def _statements(app: App) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(app.db, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(app.db, "before_cursor_execute", note)


def test_the_case_row_keeps_a_count_and_each_payment_is_a_row(
    staffed: App, clock: FixedClock
) -> None:
    ref = _paid(staffed, clock)
    assert _row_data(staffed, ref)["payments"] == {"$entries": PAYMENTS}
    assert [p["amount"] for p in _entries(staffed, "payments")] == ["1.00"] * PAYMENTS
    shown = staffed.queries.get_case(ref).case.data["payments"]
    assert len(shown) == PAYMENTS and [p["amount"] for p in shown] == ["1.00"] * PAYMENTS
    assert staffed.queries.get_case(ref).case.data["paid_total"] == f"{PAYMENTS}.00"
    assert staffed.integrity.verify().ok


def test_a_payment_on_a_case_with_many_reads_and_rewrites_none_of_them(
    staffed: App, clock: FixedClock
) -> None:
    ref = _paid(staffed, clock)
    today = clock.now().astimezone(LOCAL_TZ).date().isoformat()
    with _statements(staffed) as seen:
        case = staffed.cases.fire(
            ref, "record_payment", {"amount": "1", "paid_on": today}, actor="wang"
        )
    touching = [s.lstrip().split()[0].upper() for s in seen if "case_entries" in s]
    assert touching == _ONE_INSERT[staffed.db.dialect.name], touching
    [event_] = staffed.queries.history(ref)[-1:]
    [appended] = event_.payload["_data"]["payments"]["$append"]  # the event: the new one only
    assert appended["amount"] == "1.00" and appended["paid_on"] == today
    # The command's result still reads its payments after its unit of work ended.
    payments = case.data["payments"]
    assert isinstance(payments, EntryList)
    assert len(payments) == PAYMENTS + 1 and len(list(payments)) == PAYMENTS + 1
    assert staffed.integrity.verify().ok


def test_services_are_rows_and_the_receipt_number_comes_back(
    staffed: App, clock: FixedClock
) -> None:
    case = advance_to_payment_ordered(staffed, clock)
    [order] = staffed.queries.get_case(case.ref).documents
    today = clock.now().astimezone(LOCAL_TZ).date().isoformat()
    record = {
        "document": order.id,
        "recipient": "定安县某建筑劳务有限公司",
        "method": "direct",
        "served_on": today,
        "place": "海南省定安县定城镇",
        "signed_by": "陈某（项目负责人）",
    }
    for _ in range(3):
        served = staffed.cases.record_service(case.ref, record, actor="wang")
    assert served.data["services"][-1]["receipt"]["number"]
    assert _row_data(staffed, case.ref)["services"] == {"$entries": 3}
    assert len(staffed.queries.get_case(case.ref).case.data["services"]) == 3
    assert staffed.integrity.verify().ok


@pytest.mark.parametrize("tamper", ["edit", "delete", "add", "count"])
def test_tampering_with_the_entries_is_caught_by_the_replay(
    staffed: App, clock: FixedClock, tamper: str
) -> None:
    ref = _paid(staffed, clock, times=3)
    data = _row_data(staffed, ref)
    with staffed.db.begin() as conn:
        case_id = conn.execute(sa.select(cases_t.c.id).where(cases_t.c.ref == ref)).scalar_one()
        mine = (entries_t.c.case_id == case_id) & (entries_t.c.key == "payments")
        if tamper == "edit":
            conn.execute(
                sa.update(entries_t)
                .where(mine, entries_t.c.seq == 1)
                .values(item={"amount": "100000.00", "paid_on": "2026-03-20", "note": ""})
            )
        elif tamper == "delete":
            conn.execute(sa.delete(entries_t).where(mine, entries_t.c.seq == 2))
        elif tamper == "add":
            item = {"amount": "5.00", "paid_on": "2026-03-20", "note": ""}
            conn.execute(
                sa.insert(entries_t).values(case_id=case_id, key="payments", seq=3, item=item)
            )
        else:
            data["payments"] = {"$entries": 2}
            conn.execute(sa.update(cases_t).where(cases_t.c.id == case_id).values(data=data))
    broken = staffed.integrity.verify().broken
    hits = [f for f in broken if f.check is Check.CASE_ROW]
    assert len(hits) == 1 and hits[0].case_ref == ref and "payments" in hits[0].problem, broken


def test_the_migration_moves_the_lists_out_of_the_case_rows_and_back(
    tmp_path: Path, clock: FixedClock
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    upgrade(engine)
    app = bootstrap(url, clock=clock, county="dingan", engine=engine)
    add_staff(app)
    ref = _paid(app, clock, times=3)
    payments = list(app.queries.get_case(ref).case.data["payments"])
    cfg = alembic_config()
    with engine.begin() as conn:  # back to the lists inside the case rows (0012)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0012")
    with engine.connect() as conn:
        assert "case_entries" not in sa.inspect(conn).get_table_names()
    assert _row_data(app, ref)["payments"] == payments
    upgrade(engine)  # and out again
    assert _row_data(app, ref)["payments"] == {"$entries": 3}
    assert _entries(app, "payments") == payments
    assert app.integrity.verify().ok
    app.close()


def test_the_first_payment_inserts_its_row_and_deletes_nothing(
    staffed: App, clock: FixedClock
) -> None:
    case = advance_to_payment_ordered(staffed, clock)
    clock.set(clock.now() + timedelta(days=1))
    today = clock.now().astimezone(LOCAL_TZ).date().isoformat()
    with _statements(staffed) as seen:
        staffed.cases.fire(
            case.ref, "record_payment", {"amount": "1", "paid_on": today}, actor="wang"
        )
    touching = [s.lstrip().split()[0].upper() for s in seen if "case_entries" in s]
    assert touching == _ONE_INSERT[staffed.db.dialect.name], touching
    assert _row_data(staffed, case.ref)["payments"] == {"$entries": 1}
    assert staffed.integrity.verify().ok
