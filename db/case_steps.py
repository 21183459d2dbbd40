"""A command's step in one statement: the case compare-and-set and its event.

PostgreSQL: a writable CTE (`save_statement`): the UPDATE … RETURNING feeds the event's
INSERT, so the event is written only when the compare-and-set updated the row. SQLite has
no writable CTE, so a command's step is one
INSERT into the view ``case_steps``, which an INSTEAD OF trigger carries out inside SQLite,
in that one statement: it aborts (a constraint error, nothing written) unless the case is
still at the expected version, updates the case row — its indexed columns (state,
closed_at, overdue) only when they change, so their indexes are left alone otherwise — and
appends the event (the unique (case_id, seq) still refuses a second writer of the same
sequence number). The statements run inside SQLite, not as one round of Python each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSON

from db.fast import Prepared
from db.tables import EVENTS_PER_CASE, CaseRow, HistoryRow, TimerRow
from db.timer_ids import TIMERS, next_id_sql

cases_t: sa.Table = CaseRow.__table__  # type: ignore[attr-defined]
history_t: sa.Table = HistoryRow.__table__  # type: ignore[attr-defined]
timers_t: sa.Table = TimerRow.__table__  # type: ignore[attr-defined]

EVENT_KEYS = tuple(c.key for c in history_t.c if not c.primary_key)
UPDATED = ("data", "assignees", "last_seq", "last_hash")
IF_CHANGED = ("state", "closed_at", "overdue")
"""Columns an index holds (ix_cases_procedure_state; ix_cases_overdue's predicate): written
only when they change, so a command that keeps them (an assignment) leaves those indexes
alone."""
_SAVES: dict[tuple[tuple[str, ...], bool, bool], Prepared] = {}


def save_statement(
    columns: tuple[str, ...], with_event: bool, with_timers: bool = False
) -> Prepared:
    """The case compare-and-set of ``columns`` (and the version); ``with_event``: on
    PostgreSQL, with the event's insert in the same statement (a writable CTE: the event
    is inserted only when the compare-and-set updated the row); ``with_timers``: and the
    command's timer writes (`TimerWrites`, `cte_timer_values`), likewise only then."""
    key = (columns, with_event, with_timers)
    prepared = _SAVES.get(key)
    if prepared is None:
        update = (
            sa.update(cases_t)
            .where(
                cases_t.c.id == sa.bindparam("b_id"),
                cases_t.c.version == sa.bindparam("b_expected"),
            )
            .values(
                version=sa.bindparam("b_version"),
                **{c: sa.bindparam(f"b_{c}", type_=cases_t.c[c].type) for c in columns},
            )
        )
        stmt: sa.Executable = update
        if with_event:
            saved = update.returning(cases_t.c.id).cte("saved")
            keys = [k for k in EVENT_KEYS if k != "case_id"]
            row = sa.select(
                saved.c.id, *(sa.bindparam(f"e_{k}", type_=history_t.c[k].type) for k in keys)
            ).select_from(saved)
            insert = sa.insert(history_t).from_select(["case_id", *keys], row).add_cte(saved)
            stmt = insert.add_cte(*_timer_ctes(saved)) if with_timers else insert
        prepared = _SAVES[key] = Prepared(stmt)
    return prepared


def _timer_ctes(saved: sa.CTE) -> tuple[sa.CTE, sa.CTE]:
    """PostgreSQL: end the timers of the states left, insert those started (their rows a
    JSON list read with json_populate_recordset), for the case ``saved`` updated."""
    status = timers_t.c.status
    case_id = sa.select(saved.c.id).scalar_subquery()
    cancelled = (
        sa.update(timers_t)
        .where(
            timers_t.c.case_id == case_id,
            timers_t.c.state == sa.any_(sa.bindparam("t_states", type_=ARRAY(sa.String))),
            sa.or_(status == "pending", status == "expired"),
        )
        .values(
            status=sa.case((status == "pending", "cancelled"), else_="ended_late"),
            closed_at=sa.func.coalesce(
                timers_t.c.closed_at, sa.bindparam("t_at", type_=timers_t.c.closed_at.type)
            ),
        )
        .returning(timers_t.c.id)
        .cte("cancelled")
    )
    rows = sa.func.json_populate_recordset(
        sa.literal_column("NULL::timers"), sa.cast(sa.bindparam("t_new", type_=sa.Text), JSON)
    ).table_valued(*TIMER_COLUMNS)
    started = (
        sa.insert(timers_t)
        .from_select(
            ["case_id", *TIMER_COLUMNS],
            sa.select(saved.c.id, *(rows.c[k] for k in TIMER_COLUMNS)).select_from(
                saved.join(rows, sa.true())
            ),
        )
        .returning(timers_t.c.id)
        .cte("started")
    )
    return cancelled, started


def _iso(value: Any) -> str:
    if isinstance(value, datetime):  # aware (the timers' columns are), freezegun's too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def cte_timer_values(writes: TimerWrites) -> dict[str, Any]:
    """The parameters of `_timer_ctes`."""
    return {
        "t_states": list(writes.cancel_states),
        "t_at": writes.cancel_at,
        "t_new": orjson.dumps(
            writes.starts, default=_iso, option=orjson.OPT_PASSTHROUGH_DATETIME
        ).decode(),
    }


VIEW = "case_steps"
CONFLICT = "caseflow: version conflict"
"""The trigger's abort message (a stale expected version)."""
CASE_COLUMNS = ("version", *UPDATED)
INDEXED_COLUMNS = IF_CHANGED
EVENT_COLUMNS = tuple(c.key for c in history_t.c if c.key not in ("id", "case_id"))

steps_t = sa.Table(
    VIEW,
    sa.MetaData(),  # a view: not one of the tables (db/tables.py) the migrations compare
    sa.Column("case_id", sa.Integer),
    sa.Column("expected", sa.Integer),
    *(sa.Column(c, cases_t.c[c].type) for c in (*CASE_COLUMNS, *INDEXED_COLUMNS)),
    *(sa.Column(f"e_{c}", history_t.c[c].type) for c in EVENT_COLUMNS),
    sa.Column("cancel_states", sa.Text),
    sa.Column("cancel_at", timers_t.c.closed_at.type),
    sa.Column("new_timers", sa.Text),
    sa.Column("new_entries", sa.Text),
)
TIMER_COLUMNS = tuple(c.key for c in timers_t.c if c.key not in ("id", "case_id", "closed_at"))


@dataclass
class TimerWrites:
    """A command's timer writes on a case it read, held by the unit of work until the step
    carries them (SQLite: in the step's one statement), or flushed before anything reads
    or writes the timers otherwise: the timers of the states it leaves (at ``cancel_at``)
    and the rows of the timers it starts, in order."""

    case_id: int
    cancel_states: list[str] = field(default_factory=list)
    cancel_at: datetime | None = None
    starts: list[dict[str, Any]] = field(default_factory=list)


class TimerCache(Protocol):
    """What the case repository asks of the unit of work's timer repository (db/timers.py):
    keep the timers read with a case, hand over or write the timer writes held for it."""

    def remember(self, ref: str, state: str, rows: list[dict[str, Any]]) -> None: ...

    def take(self, ref: str) -> TimerWrites | None: ...

    def flush(self, ref: str | None = None) -> None: ...

    def forget(self, ref: str | None = None) -> None: ...


_TIMER_PROCESSORS: dict[sa.Dialect, list[tuple[str, Any]]] = {}


def _timer_processors(dialect: sa.Dialect) -> list[tuple[str, Any]]:
    """Each timer column's bind processor for ``dialect``, looked up once."""
    procs = _TIMER_PROCESSORS.get(dialect)
    if procs is None:
        procs = _TIMER_PROCESSORS[dialect] = [
            (key, timers_t.c[key].type.dialect_impl(dialect).bind_processor(dialect))
            for key in TIMER_COLUMNS
        ]
    return procs


def _bound(proc: Any, value: Any) -> Any:
    return proc(value) if proc is not None and value is not None else value


def step_timer_values(dialect: sa.Dialect, writes: TimerWrites | None) -> dict[str, Any]:
    """The step's timer columns: the states to leave as a JSON list, the new timers' rows
    as a JSON list of their stored values (as Core's bind processors make them)."""
    if writes is None:
        return {"cancel_states": None, "cancel_at": None, "new_timers": None}
    procs = _timer_processors(dialect)
    rows = [{key: _bound(proc, values[key]) for key, proc in procs} for values in writes.starts]
    return {
        "cancel_states": orjson.dumps(writes.cancel_states).decode()
        if writes.cancel_states
        else None,
        "cancel_at": writes.cancel_at,
        "new_timers": orjson.dumps(rows).decode() if rows else None,
    }


def _q(name: str) -> str:
    return f'"{name}"'


_columns = ", ".join(f"NULL AS {_q(c.name)}" for c in steps_t.c)
_indexed = "\n".join(
    f"  UPDATE cases SET {c} = NEW.{c} WHERE id = NEW.case_id AND {c} IS NOT NEW.{c};"
    for c in INDEXED_COLUMNS
)


def sqlite_ddl(
    event_ids: bool = True, entries: bool = True, timer_ids: bool = True
) -> tuple[str, ...]:
    """The view and its trigger; ``event_ids``: the event's id is its (case, seq) key
    (db/event_ids.py; migration 0012), else SQLite assigns it (migration 0011);
    ``entries``: the rows the case's entry lists gained inserted too (migration 0013);
    ``timer_ids``: the timers' ids keyed by their case (`_timer_writes`, migration 0014)."""
    event_id = (f"NEW.case_id * {EVENTS_PER_CASE} + NEW.{_q('e_seq')}, ",) if event_ids else ()
    return (
        f"CREATE VIEW {VIEW} AS SELECT {_columns} WHERE 0",
        f"CREATE TRIGGER {VIEW}_insert INSTEAD OF INSERT ON {VIEW} BEGIN\n"
        f"  SELECT RAISE(ABORT, '{CONFLICT}') WHERE NOT EXISTS (SELECT 1 FROM cases"
        " WHERE id = NEW.case_id AND version = NEW.expected);\n"
        "  UPDATE cases SET "
        + ", ".join(f"{c} = NEW.{c}" for c in CASE_COLUMNS)
        + " WHERE id = NEW.case_id;\n"
        + _indexed
        + f"\n  INSERT INTO history ({'id, ' if event_ids else ''}case_id, "
        + ", ".join(_q(c) for c in EVENT_COLUMNS)
        + f") VALUES ({''.join(event_id)}NEW.case_id, "
        + ", ".join(f"NEW.{_q('e_' + c)}" for c in EVENT_COLUMNS)
        + ");\n"
        + _timer_writes(timer_ids)
        + (_ENTRY_WRITES if entries else "")
        + "END",
    )


def _timer_writes(keyed: bool) -> str:
    """The trigger's timer writes: end those of the states left, insert those started;
    ``keyed``: a timer's id is its case's next (db/timer_ids.py; migration 0014), each
    row of the one INSERT adding its place in the list, and the case's timers are read
    by their rowid range; else SQLite assigns the id and the case_id index finds them."""
    of_case = TIMERS.range_sql("NEW.case_id") if keyed else "case_id = NEW.case_id"
    return (
        "  UPDATE timers SET status = CASE WHEN status = 'pending' THEN 'cancelled'"
        " ELSE 'ended_late' END, closed_at = coalesce(closed_at, NEW.cancel_at)"
        f" WHERE NEW.cancel_states IS NOT NULL AND {of_case}"
        " AND state IN (SELECT value FROM json_each(NEW.cancel_states))"
        " AND status IN ('pending', 'expired');\n"
        f"  INSERT INTO timers ({'id, ' if keyed else ''}case_id, "
        + ", ".join(_q(c) for c in TIMER_COLUMNS)
        + ") SELECT "
        + (f"{next_id_sql('NEW.case_id', 'key + 1')}, " if keyed else "")
        + "NEW.case_id, "
        + ", ".join(f"value ->> '$.{c}'" for c in TIMER_COLUMNS)
        + " FROM json_each(NEW.new_timers) WHERE NEW.new_timers IS NOT NULL ORDER BY key;\n"
    )


_ENTRY_WRITES = (
    "  INSERT INTO case_entries (case_id, key, seq, item) SELECT NEW.case_id,"
    " value ->> '$[0]', value ->> '$[1]', value -> '$[2]'"
    " FROM json_each(NEW.new_entries) WHERE NEW.new_entries IS NOT NULL ORDER BY key;\n"
)
SQLITE_DDL = sqlite_ddl()
STEP = Prepared(sa.insert(steps_t), keys=tuple(c.key for c in steps_t.c))
SQLITE_DROP = (f"DROP TRIGGER IF EXISTS {VIEW}_insert", f"DROP VIEW IF EXISTS {VIEW}")
