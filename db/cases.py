"""The SQL case repository: the one place that maps cases and their history to rows and
back, with the case search filtered, ordered and paginated by the database."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError

from db import timer_ids
from db.case_entries import EntryStore
from db.case_search import case_conditions
from db.case_steps import (
    EVENT_COLUMNS,
    IF_CHANGED,
    STEP,
    UPDATED,
    TimerCache,
    TimerWrites,
    cte_timer_values,
    save_statement,
    step_timer_values,
)
from db.event_ids import event_id, in_key_order, of_case
from db.fast import Prepared, insert_rows, mapped
from db.tables import CaseAssigneeRow, CaseRow, HistoryRow, TimerRow
from engine.domain.case import Case
from engine.domain.errors import CaseNotFound, VersionConflict
from engine.domain.history import EventKind, HistoryEvent
from engine.domain.subject import Subject
from engine.service import ports
from engine.service.read_models import CaseQuery, CaseSort, CaseSummary, Page

cases_t: sa.Table = CaseRow.__table__  # type: ignore[attr-defined]
history_t: sa.Table = HistoryRow.__table__  # type: ignore[attr-defined]
assignees_t: sa.Table = CaseAssigneeRow.__table__  # type: ignore[attr-defined]
timers_t: sa.Table = TimerRow.__table__  # type: ignore[attr-defined]

# Statements on the command path are built once, with bind parameters: SQLAlchemy then
# reuses their cache key and compiled form instead of rebuilding them for every command.
_EVENT_KEYS = tuple(c.key for c in history_t.c if not c.primary_key)
_CASE_KEYS = tuple(c.key for c in cases_t.c if not c.primary_key)
# The hot statements run on the driver's cursor (db/fast.py).
_INSERT_CASE = Prepared(sa.insert(cases_t).returning(cases_t.c.id), keys=_CASE_KEYS)


def _case_with_timers(dialect: str) -> sa.Select[Any]:
    """A command reads its case and its timers in one statement (SqlTimerRepository.
    remember): those still running and every one of its current state, not those of the
    states it left long ago, which grow with the case; on SQLite from the case's rowid
    range of timers (db/timer_ids.py)."""
    return (
        sa.select(cases_t, *(c.label(f"t_{c.key}") for c in timers_t.c))
        .select_from(
            cases_t.outerjoin(
                timers_t,
                sa.and_(
                    timer_ids.of_case(cases_t.c.id, dialect),
                    sa.or_(  # literal values: SQLite evaluates them faster (10 µs, not 50)
                        sa.text("timers.status IN ('pending', 'expired')"),
                        timers_t.c.state == cases_t.c.state,
                    ),
                ),
            )
        )
        .where(cases_t.c.ref == sa.bindparam("b_ref"))
        .order_by(timers_t.c.due_at, timers_t.c.id)
    )


_CASE_COLUMNS = len(cases_t.c)
_TIMER_ID = _CASE_COLUMNS + list(timers_t.c).index(timers_t.c.id)
_GET_CASE = {  # by (store, locked): SQLite's one writer needs no row lock
    (d, False): Prepared(_case_with_timers(d)) for d in ("sqlite", "postgresql")
} | {("postgresql", True): Prepared(_case_with_timers("postgresql").with_for_update(of=cases_t))}
_ASSIGNED = sa.select(cases_t.c.assignees).where(cases_t.c.id == sa.bindparam("b_case"))
_REMOVE_ASSIGNEES = sa.delete(assignees_t).where(
    assignees_t.c.case_id == sa.bindparam("b_case"),
    assignees_t.c.user_name.in_(sa.bindparam("b_names", expanding=True)),
)
_SUMMARY = "id ref procedure procedure_version state subject_name subject_uscc unit assignees"
SUMMARY_COLUMNS = [
    cases_t.c[k]
    for k in f"{_SUMMARY} opened_at closed_at version overdue source complainant".split()
]
COUNT_AT_LEAST, COUNT_PAGES_AHEAD = 1_000, 10


def case_from_row(row: Mapping[str, Any]) -> Case:
    return Case(
        id=row["id"],
        ref=row["ref"],
        procedure=row["procedure"],
        procedure_version=row["procedure_version"],
        state=row["state"],
        subject=Subject(row["subject_name"], row["subject_address"], row["subject_uscc"]),
        source=row["source"],
        unit=row["unit"],
        opened_by=row["opened_by"],
        opened_at=row["opened_at"],
        matter=row["matter"],
        data=dict(row["data"] or {}),
        assignees=list(row["assignees"] or []),
        version=row["version"],
        last_seq=row["last_seq"],
        last_hash=row["last_hash"],
        closed_at=row["closed_at"],
        overdue=row["overdue"],
    )


def summary_from_row(r: RowMapping, prefix: str = "") -> CaseSummary:
    """A case summary from a row of SUMMARY_COLUMNS (labelled with ``prefix`` when joined
    to another table's columns)."""
    return CaseSummary(
        id=r[f"{prefix}id"],
        ref=r[f"{prefix}ref"],
        procedure=r[f"{prefix}procedure"],
        procedure_version=r[f"{prefix}procedure_version"],
        state=r[f"{prefix}state"],
        subject_name=r[f"{prefix}subject_name"],
        subject_uscc=r[f"{prefix}subject_uscc"],
        unit=r[f"{prefix}unit"],
        assignees=list(r[f"{prefix}assignees"] or []),
        opened_at=r[f"{prefix}opened_at"],
        closed_at=r[f"{prefix}closed_at"],
        version=r[f"{prefix}version"],
        overdue=r[f"{prefix}overdue"],
        source=r[f"{prefix}source"],
        complainant=r[f"{prefix}complainant"],
    )


def event_from_row(ref: str, r: RowMapping) -> HistoryEvent:
    return HistoryEvent(
        case_ref=ref,
        seq=r["seq"],
        at=r["at"],
        actor=r["actor"],
        kind=EventKind(r["kind"]),
        trigger=r["trigger"],
        from_state=r["from_state"],
        to_state=r["to_state"],
        payload=r["payload"] or {},
        reason=r["reason"],
        prev_hash=r["prev_hash"],
        hash=r["hash"],
    )


def _case_values(case: Case, entries: EntryStore) -> dict[str, Any]:
    return {
        "state": case.state,
        "data": entries.row_data(case.data),
        "assignees": case.assignees,
        "last_seq": case.last_seq,
        "last_hash": case.last_hash,
        "closed_at": case.closed_at,
        "overdue": case.overdue,
    }


def event_values(case_id: int, ev: HistoryEvent) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "seq": ev.seq,
        "at": ev.at,
        "actor": ev.actor,
        "kind": str(ev.kind),
        "trigger": ev.trigger,
        "from_state": ev.from_state,
        "to_state": ev.to_state,
        "payload": dict(ev.payload),
        "reason": ev.reason,
        "prev_hash": ev.prev_hash,
        "hash": ev.hash,
    }


class SqlCaseRepository(ports.CaseRepository):
    def __init__(self, conn: sa.Connection, timers: TimerCache | None = None) -> None:
        self.conn = conn
        self._timers = timers
        self.entries = EntryStore(conn)
        self._assigned: dict[int, tuple[str, ...]] = {}
        """Assignees of the cases loaded in this unit of work, as loaded."""
        self._scalars: dict[int, dict[str, Any]] = {}
        """The indexed columns (IF_CHANGED) of the cases loaded here, as stored."""

    def add(self, case: Case, events: Sequence[HistoryEvent]) -> None:
        values = {
            "ref": case.ref,
            "procedure": case.procedure,
            "procedure_version": case.procedure_version,
            "version": 1,
            "subject_name": case.subject.name,
            "subject_address": case.subject.address,
            "subject_uscc": case.subject.uscc,
            "complainant": str(case.data.get("complainant") or "")[:100],
            "source": case.source,
            "unit": case.unit,
            "matter": case.matter,
            "opened_by": case.opened_by,
            "opened_at": case.opened_at,
            **_case_values(case, self.entries),
        }
        case.id = _INSERT_CASE.scalar(self.conn, values)
        self.entries.added(case.id)
        self.entries.write(case.id, case.data)
        case.version = 1
        self._assigned[case.id] = ()
        self._scalars[case.id] = {c: values[c] for c in IF_CHANGED}
        self._write_assignees(case)
        self._append_events(case, events)

    def get(self, ref: str, *, lock: bool = False) -> Case:
        pg = self.conn.dialect.name == "postgresql"
        q = _GET_CASE["postgresql" if pg else "sqlite", lock and pg]
        if self._timers is not None:
            self._timers.flush(ref)  # a case read again: its timers as they now stand
        rows = q.rows(self.conn, {"b_ref": ref})
        if not rows:
            raise CaseNotFound(ref)
        case = case_from_row(mapped(q.columns(self.conn, 0, _CASE_COLUMNS), rows[0]))
        assert case.id is not None
        self.entries.attach(case.id, case.data)  # read when something reads them
        if self._timers is not None:
            columns = q.columns(self.conn, _CASE_COLUMNS, None, "t_")
            timers = [mapped(columns, r[_CASE_COLUMNS:]) for r in rows if r[_TIMER_ID] is not None]
            self._timers.remember(case.ref, case.state, timers)
        self._assigned[case.id] = tuple(dict.fromkeys(case.assignees))
        self._scalars[case.id] = {c: getattr(case, c) for c in IF_CHANGED}
        return case

    def save(self, case: Case, expected_version: int, events: Sequence[HistoryEvent]) -> None:
        assert case.id is not None
        values = _case_values(case, self.entries)
        dialect = self.conn.dialect.name
        self.assigned_before(case.id)
        try:
            if len(events) == 1 and dialect == "sqlite":  # one statement (db/case_steps.py)
                event = event_values(case.id, events[0])
                writes = self._timers.take(case.ref) if self._timers is not None else None
                STEP.execute(
                    self.conn,
                    {
                        "case_id": case.id,
                        "expected": expected_version,
                        "version": expected_version + 1,
                        **values,
                        **{f"e_{k}": event[k] for k in EVENT_COLUMNS},
                        **step_timer_values(self.conn.dialect, writes),
                        "new_entries": self.entries.step_rows(case.id, case.data),
                    },
                )
                if writes is not None and writes.starts and self._timers is not None:
                    self._timers.forget(case.ref)  # the new timers' ids are the database's
                with_event = True
            else:
                with_event = len(events) == 1 and dialect == "postgresql"
                writes = None
                if self._timers is not None:
                    if with_event:  # the CTE carries them
                        writes = self._timers.take(case.ref)
                    else:
                        self._timers.flush(case.ref)
                self._compare_and_set(case, expected_version, values, events, with_event, writes)
                if writes is not None and writes.starts and self._timers is not None:
                    self._timers.forget(case.ref)
        except IntegrityError as exc:  # a stale version, or another writer took the seq
            raise VersionConflict(case.ref, expected_version) from exc
        case.version = expected_version + 1
        self._scalars[case.id] = {c: values[c] for c in IF_CHANGED}
        self.entries.write(case.id, case.data)
        self._write_assignees(case)
        if not with_event:
            self._append_events(case, events)

    def _compare_and_set(
        self,
        case: Case,
        expected_version: int,
        values: dict[str, Any],
        events: Sequence[HistoryEvent],
        with_event: bool,
        writes: TimerWrites | None = None,
    ) -> None:
        assert case.id is not None
        before = self._scalars.get(case.id)
        changed = tuple(c for c in IF_CHANGED if before is None or before[c] != values[c])
        params = {
            "b_id": case.id,
            "b_expected": expected_version,
            "b_version": expected_version + 1,
            **{f"b_{k}": values[k] for k in (*UPDATED, *changed)},
        }
        if with_event:
            event = event_values(case.id, events[0])
            params.update({f"e_{k}": v for k, v in event.items()})
        if writes is not None:
            params.update(cte_timer_values(writes))
        stmt = save_statement((*UPDATED, *changed), with_event, writes is not None)
        result = stmt.execute(self.conn, params)
        if result.rowcount != 1:
            raise VersionConflict(case.ref, expected_version)

    def assigned_before(self, case_id: int) -> None:
        """A case not loaded here: its assignee rows are its row's list (read before it)."""
        if case_id not in self._assigned:
            stored = self.conn.execute(_ASSIGNED, {"b_case": case_id}).scalar_one()
            self._assigned[case_id] = tuple(dict.fromkeys(stored or []))

    def _write_assignees(self, case: Case) -> None:
        """Write only the difference from the assignees as loaded (a new case has none)."""
        assert case.id is not None
        names = tuple(dict.fromkeys(case.assignees))
        before = self._assigned[case.id]  # as loaded, added or saved (save reads it)
        if before == names:
            return
        removed = [n for n in before if n not in names]
        if removed:  # by the primary key (user, case)
            self.conn.execute(_REMOVE_ASSIGNEES, {"b_case": case.id, "b_names": removed})
        added = [{"case_id": case.id, "user_name": n} for n in names if n not in before]
        insert_rows(self.conn, assignees_t, ("case_id", "user_name"), added)  # none: nothing
        self._assigned[case.id] = names

    def _append_events(self, case: Case, events: Sequence[HistoryEvent]) -> None:
        if not events:
            return
        assert case.id is not None
        try:
            rows = [event_values(case.id, ev) for ev in events]
            keys = _EVENT_KEYS
            if self.conn.dialect.name == "sqlite":  # the id is the (case, seq) key
                keys = ("id", *_EVENT_KEYS)
                rows = [{**r, "id": event_id(case.id, r["seq"])} for r in rows]
            insert_rows(self.conn, history_t, keys, rows)
        except IntegrityError as exc:  # a concurrent writer took the same sequence number
            raise VersionConflict(case.ref, case.version - 1) from exc

    def history(self, ref: str) -> list[HistoryEvent]:
        dialect = self.conn.dialect.name
        rows = self.conn.execute(
            sa.select(history_t)
            .join(cases_t, of_case(cases_t.c.id, dialect))
            .where(cases_t.c.ref == ref)
            .order_by(*in_key_order(dialect))
        ).mappings()
        return [event_from_row(ref, r) for r in rows]

    def all_histories(self) -> Iterator[tuple[str, list[HistoryEvent]]]:
        dialect = self.conn.dialect.name
        q = (
            sa.select(cases_t.c.ref.label("case_ref"), history_t)
            .select_from(cases_t.outerjoin(history_t, of_case(cases_t.c.id, dialect)))
            .order_by(cases_t.c.id, *in_key_order(dialect))
        )
        current: str | None = None
        events: list[HistoryEvent] = []
        rows = self.conn.execution_options(yield_per=2000).execute(q).mappings()
        for r in rows:
            ref = r["case_ref"]
            if ref != current:
                if current is not None:
                    yield current, events
                current, events = ref, []
            if r["seq"] is not None:
                events.append(event_from_row(ref, r))
        if current is not None:
            yield current, events

    def count(self) -> int:
        return int(self.conn.execute(sa.select(sa.func.count()).select_from(cases_t)).scalar_one())

    def search(self, query: CaseQuery) -> Page[CaseSummary]:
        where = case_conditions(query, self.conn.dialect.name)
        # Count at most up to ten pages past this one: counting every match of a broad search
        # costs a scan of the whole matching set; the pager needs only what lies ahead.
        limit = max(COUNT_AT_LEAST, query.offset + query.per_page * COUNT_PAGES_AHEAD)
        matching = sa.select(cases_t.c.id).where(*where).limit(limit + 1).subquery()
        total = int(
            self.conn.execute(sa.select(sa.func.count()).select_from(matching)).scalar_one()
        )
        order = (
            (cases_t.c.opened_at.desc(), cases_t.c.id.desc())
            if query.sort is CaseSort.OPENED_DESC
            else (cases_t.c.opened_at.asc(), cases_t.c.id.asc())
        )
        rows = self.conn.execute(
            sa.select(*SUMMARY_COLUMNS)
            .where(*where)
            .order_by(*order)
            .limit(query.per_page)
            .offset(query.offset)
        ).mappings()
        items = [summary_from_row(r) for r in rows]
        return Page(items, min(total, limit), query.page, query.per_page, more=total > limit)
