"""The command path's statements on the driver's cursor (db/fast.py) read and write exactly
what SQLAlchemy Core would: aware datetimes, JSON, booleans; errors keep their types."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from db.cases import _CASE_BY_REF, history_t
from db.fast import Prepared, insert_rows
from engine.bootstrap import App
from tests.integration.helpers import open_complaint


def test_a_prepared_read_equals_cores(staffed: App) -> None:
    case = open_complaint(staffed)
    staffed.cases.fire(case.ref, "accept", {"summary": "受理"}, actor="wang")
    with staffed.db.connect() as conn:
        core = dict(conn.execute(_CASE_BY_REF, {"b_ref": case.ref}).mappings().one())
        fast = Prepared(_CASE_BY_REF).first(conn, {"b_ref": case.ref})
        assert Prepared(_CASE_BY_REF).first(conn, {"b_ref": "WA1999-0001"}) is None
    assert fast == core
    assert fast["opened_at"].utcoffset() is not None  # aware, as Core returns it
    assert isinstance(fast["data"], dict) and isinstance(fast["overdue"], bool)


def test_a_missing_parameter_is_an_error_not_a_null(staffed: App) -> None:
    with staffed.db.connect() as conn, pytest.raises(KeyError, match="b_ref"):
        Prepared(_CASE_BY_REF).first(conn, {})


def test_a_duplicate_event_raises_sqlalchemys_integrity_error(staffed: App) -> None:
    case = open_complaint(staffed)
    [event] = staffed.queries.history(case.ref)
    keys = [c.key for c in history_t.c if not c.primary_key]
    row: dict[str, object] = {k: None for k in keys} | {
        "case_id": case.id,
        "seq": event.seq,  # taken: (case_id, seq) is unique
        "at": event.at,
        "actor": "wang",
        "kind": "note",
        "payload": {},
        "reason": "",
        "prev_hash": event.hash,
        "hash": "0" * 64,
    }
    with staffed.db.connect() as conn, pytest.raises(IntegrityError):
        insert_rows(conn, history_t, keys, [row, {**row, "seq": event.seq + 1}])
    with staffed.db.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(history_t)).scalar_one()
    assert n == 1  # nothing half-written
