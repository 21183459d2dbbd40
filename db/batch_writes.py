"""The sweep's batch written set-based (PostgreSQL): the writes of every timer fired in a
batch held by the unit of work (`SqlUnitOfWork.batch`) and written together, one
statement per kind of row, instead of a few statements per timer.

The domain decides each case as it does one by one (Case.decide/apply, the same events and
hash chain); only the writing is gathered: the cases' compare-and-sets in one UPDATE (each
row only at the version it was read at: the number of rows updated must be the number of
cases, or the batch raises VersionConflict and the sweep redoes it one timer at a time),
their events in one INSERT, the timers closed, those their transitions end and those they
start, the reminders noted and the notifications, each in one statement. Each statement
reads its rows from one JSON parameter (json_populate_recordset with the table's own row
type: the columns' types and lengths are checked as on any insert), so its text is the
same for every batch and psycopg prepares it on the server once per connection.

The writes are held only inside the batch and written before anything reads those tables
back through the unit of work (a case read again, a timer query, a notification list) and
when the batch ends, so what the unit of work reads is what it wrote, in the order it wrote
it: compare-and-sets, events, closed timers, reminders, ended timers, started timers,
notifications."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError

from db.case_steps import TimerCache, TimerWrites
from db.cases import SqlCaseRepository, case_from_row, event_values
from db.notifications import SqlNotificationRepository
from db.tables import CaseRow, HistoryRow, NotificationRow, TimerRow
from engine.domain.case import Case
from engine.domain.entries import EntryList
from engine.domain.errors import VersionConflict
from engine.domain.history import HistoryEvent
from engine.domain.timers import TimerStatus
from engine.service.read_models import CaseQuery, CaseSummary, Notification, Page, StoredTimer

cases_t: sa.Table = CaseRow.__table__  # type: ignore[attr-defined]
history_t: sa.Table = HistoryRow.__table__  # type: ignore[attr-defined]
notifications_t: sa.Table = NotificationRow.__table__  # type: ignore[attr-defined]
timers_t: sa.Table = TimerRow.__table__  # type: ignore[attr-defined]

CASE_WRITES = ("state", "data", "assignees", "last_seq", "last_hash", "closed_at", "overdue")
"""What a command's step writes of the case row (db/cases.py), with the version."""
EVENT_KEYS = tuple(c.key for c in history_t.c if not c.primary_key)
Known = dict[str, list[StoredTimer]]
"""The timers of the cases a unit of work read, by case ref (db/timers.py)."""
NOTIFICATION_KEYS = ("case_id", "recipient", "kind", "subject", "body", "created_at", "channel")
STARTED_KEYS = tuple(c.key for c in timers_t.c if c.key not in ("id", "closed_at"))


def _rows(table: str) -> str:
    return f"json_populate_recordset(NULL::{table}, CAST(:rows AS json)) WITH ORDINALITY AS v"


def _insert(table: str, keys: Sequence[str]) -> sa.TextClause:
    cols = ", ".join(f'"{k}"' for k in keys)
    vals = ", ".join(f'v."{k}"' for k in keys)
    return sa.text(
        f"INSERT INTO {table} ({cols}) SELECT {vals} FROM {_rows(table)} ORDER BY v.ordinality"
    )


_CAS = sa.text(
    "UPDATE cases SET version = v.version, "
    + ", ".join(f"{c} = v.{c}" for c in CASE_WRITES)
    + f" FROM {_rows('cases')} WHERE cases.id = v.id AND cases.version = v.version - 1"
    " RETURNING cases.id"
)
_EVENTS = _insert("history", EVENT_KEYS)
_CLOSE = sa.text(
    "UPDATE timers SET status = v.status, closed_at = v.closed_at, remind_at = NULL"
    f" FROM {_rows('timers')} WHERE timers.id = v.id AND timers.status = 'pending'"
    " RETURNING timers.id"
)
_REMINDED = sa.text(
    "UPDATE timers SET reminders_sent = v.reminders_sent, remind_at = v.remind_at"
    f" FROM {_rows('timers')} WHERE timers.id = v.id"
)
_END = sa.text(  # db/timer_rows.py's cancellation, for every (case, state) at once
    "UPDATE timers SET status = CASE WHEN timers.status = 'pending' THEN 'cancelled'"
    " ELSE 'ended_late' END, closed_at = coalesce(timers.closed_at, v.closed_at)"
    f" FROM {_rows('timers')} WHERE timers.case_id = v.case_id AND timers.state = v.state"
    " AND timers.status IN ('pending', 'expired')"
)
_START = _insert("timers", STARTED_KEYS)
_NOTIFY = _insert("notifications", NOTIFICATION_KEYS)


def _plain(value: Any) -> Any:
    """Datetimes as ISO 8601 with their offset, in UTC (as the UTCDateTime columns store
    them; freezegun's too: orjson passes every datetime through to here); an entry list
    whole, as the engine's JSON serialiser stores it (db/engine.py)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, EntryList):
        return value.items()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _json(rows: list[dict[str, Any]]) -> str:
    return orjson.dumps(rows, default=_plain, option=orjson.OPT_PASSTHROUGH_DATETIME).decode()


@dataclass
class _Held:
    """The rows held for the next write, by kind."""

    cases: list[dict[str, Any]] = field(default_factory=list)
    expected: dict[int, tuple[str, int]] = field(default_factory=dict)
    """By case id: its ref and the version it was read at (for VersionConflict)."""
    events: list[dict[str, Any]] = field(default_factory=list)
    closes: list[dict[str, Any]] = field(default_factory=list)
    closing: dict[int, str] = field(default_factory=dict)
    """By timer closed: the ref of its case."""
    reminded: list[dict[str, Any]] = field(default_factory=list)
    ends: list[dict[str, Any]] = field(default_factory=list)
    starts: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (self.cases, self.closes, self.reminded, self.ends, self.starts, self.notifications)
        )


class BatchWrites:
    """The writes held for one batch, on one connection."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.held = _Held()
        self._ref_of: dict[int, str] = {}
        """The case ref of each timer read in the unit of work (as last looked up)."""

    def saved(
        self, case: Case, expected: int, events: Sequence[HistoryEvent], data: dict[str, Any]
    ) -> None:
        """A case's compare-and-set (``data``: its data as the case row stores it) and
        events."""
        assert case.id is not None
        if case.id in self.held.expected:  # saved twice: the first write goes first
            self.write()
        row = {c: getattr(case, c) for c in CASE_WRITES}
        row["data"] = data
        self.held.cases.append({"id": case.id, "version": expected + 1, **row})
        self.held.expected[case.id] = (case.ref, expected)
        self.held.events += [event_values(case.id, ev) for ev in events]

    def timers(self, writes: TimerWrites | None) -> None:
        """A saved case's timer writes (db/timers.py held them for its step)."""
        if writes is None:
            return
        for state in writes.cancel_states:
            end = {"case_id": writes.case_id, "state": state, "closed_at": writes.cancel_at}
            self.held.ends.append(end)
        self.held.starts += writes.starts

    def closed(self, known: Known, timer_id: int, status: TimerStatus, at: datetime) -> bool:
        """Hold the closing of a pending timer of a case read in this unit of work (its
        timers ``known``, which follow it), checked to be still pending when written;
        False (nothing held) for any other."""
        found = self._find(known, timer_id) or self._find(known, timer_id, afresh=True)
        if found is None:
            return False
        ref, i = found
        t = known[ref][i]
        if t.status is not TimerStatus.PENDING:
            return False
        self.held.closes.append({"id": timer_id, "status": str(status), "closed_at": at})
        self.held.closing[timer_id] = ref
        known[ref][i] = replace(t, status=status, remind_at=None)
        return True

    def _find(self, known: Known, timer_id: int, afresh: bool = False) -> tuple[str, int] | None:
        """The case ref of a timer among the timers ``known``, and its place there."""
        if afresh:
            self._ref_of = {t.id: ref for ref, timers in known.items() for t in timers}
        ref = self._ref_of.get(timer_id)
        if ref is not None:
            for i, t in enumerate(known.get(ref, [])):
                if t.id == timer_id:
                    return ref, i
        return None

    def reminder_sent(
        self, known: Known, timer_id: int, sent: list[int], remind_at: datetime | None
    ) -> None:
        """Hold a reminder noted on a timer, followed in the timers ``known``."""
        reminded = {"id": timer_id, "reminders_sent": sent, "remind_at": remind_at}
        self.held.reminded.append(reminded)
        for timers in known.values():
            for i, t in enumerate(timers):
                if t.id == timer_id:
                    timers[i] = replace(t, reminders_sent=list(sent), remind_at=remind_at)

    def notify(self, rows: list[dict[str, Any]]) -> None:
        self.held.notifications += rows

    def write(self) -> None:
        """Write what is held, each kind of row in one statement, and hold nothing more."""
        if not self.held:
            return
        held, self.held = self.held, _Held()
        conn = self.conn
        if held.cases:
            updated = set(conn.execute(_CAS, {"rows": _json(held.cases)}).scalars())
            for case_id, (ref, expected) in held.expected.items():
                if case_id not in updated:
                    raise VersionConflict(ref, expected)
        if held.events:
            try:
                conn.execute(_EVENTS, {"rows": _json(held.events)})
            except IntegrityError as exc:  # another writer took a sequence number
                ref, expected = next(iter(held.expected.values()))
                raise VersionConflict(ref, expected) from exc
        if held.closes:
            closed = set(conn.execute(_CLOSE, {"rows": _json(held.closes)}).scalars())
            for timer_id, ref in held.closing.items():
                if timer_id not in closed:  # no longer pending: someone acted on the case
                    raise VersionConflict(ref)
        for stmt, rows in (
            (_REMINDED, held.reminded),
            (_END, held.ends),
            (_START, held.starts),
            (_NOTIFY, held.notifications),
        ):
            if rows:
                conn.execute(stmt, {"rows": _json(rows)})


def due_among(
    known: Known, timer_ids: Sequence[int], now: datetime, reminders: bool
) -> dict[int, StoredTimer] | None:
    """Of the timers ``timer_ids``, those running and due (or to remind) by ``now``, by id,
    as the timers ``known`` (read with their cases) have them: the sweep's recheck
    (db/timers.py, _RECHECK) without a statement; None when some are not known."""
    by_id = {t.id: t for timers in known.values() for t in timers}
    if any(i not in by_id for i in timer_ids):
        return None
    found = {}
    for i in timer_ids:
        t = by_id[i]
        at = t.remind_at if reminders else t.due_at
        if t.status is TimerStatus.PENDING and not t.paused and at is not None and at <= now:
            found[i] = t
    return found


_LOAD = (
    sa.select(cases_t, *(c.label(f"t_{c.key}") for c in timers_t.c))
    .select_from(cases_t.outerjoin(timers_t, timers_t.c.case_id == cases_t.c.id))
    .where(cases_t.c.ref == sa.any_(sa.bindparam("b_refs", type_=ARRAY(sa.String))))
    .order_by(cases_t.c.id, timers_t.c.due_at, timers_t.c.id)
    .with_for_update(of=cases_t)
)
"""The batch's cases with every timer of theirs, locked (the claim locked them already)."""
_TIMER_LABELS = tuple((f"t_{c.key}", c.key) for c in timers_t.c)


class BatchCaseRepository(SqlCaseRepository):
    """The case repository inside a batch: the batch's cases read in one statement, their
    saves held (`BatchWrites`); anything read back is read after the held writes."""

    def __init__(self, conn: sa.Connection, timers: TimerCache, writes: BatchWrites) -> None:
        super().__init__(conn, timers)
        self.timer_cache = timers
        self.writes = writes

    def load(self, refs: Sequence[str]) -> dict[str, Case]:
        self.writes.write()
        loaded: dict[str, Case] = {}
        timers: dict[str, list[dict[str, Any]]] = {}
        for row in self.conn.execute(_LOAD, {"b_refs": list(refs)}).mappings():
            ref = row["ref"]
            if ref not in loaded:
                case = loaded[ref] = case_from_row(cast(Mapping[str, Any], row))
                assert case.id is not None
                self.entries.attach(case.id, case.data)  # as get does
                self._assigned[case.id] = tuple(dict.fromkeys(case.assignees))
                timers[ref] = []
            if row["t_id"] is not None:
                timers[ref].append({key: row[label] for label, key in _TIMER_LABELS})
        for ref, rows in timers.items():
            self.timer_cache.remember(ref, loaded[ref].state, rows)  # every timer of the case
        return loaded

    def get(self, ref: str, *, lock: bool = False) -> Case:
        self.writes.write()
        return super().get(ref, lock=lock)

    def save(self, case: Case, expected_version: int, events: Sequence[HistoryEvent]) -> None:
        assert case.id is not None
        self.assigned_before(case.id)
        timer_writes = self.timer_cache.take(case.ref)
        self.writes.saved(case, expected_version, events, self.entries.row_data(case.data))
        self.writes.timers(timer_writes)
        if timer_writes is not None and timer_writes.starts:
            self.timer_cache.forget(case.ref)  # the new timers' ids are the database's
        case.version = expected_version + 1
        self.entries.write(case.id, case.data)  # the entry lists' new rows (db/cases.py)
        self._write_assignees(case)

    def history(self, ref: str) -> list[HistoryEvent]:
        self.writes.write()
        return super().history(ref)

    def search(self, query: CaseQuery) -> Page[CaseSummary]:
        self.writes.write()
        return super().search(query)

    def all_histories(self) -> Iterator[tuple[str, list[HistoryEvent]]]:
        self.writes.write()
        return super().all_histories()

    def count(self) -> int:
        self.writes.write()
        return super().count()


class BatchNotificationRepository(SqlNotificationRepository):
    """The notification outbox inside a batch: what is added is held (`BatchWrites`)."""

    def __init__(self, conn: sa.Connection, writes: BatchWrites) -> None:
        super().__init__(conn)
        self.writes = writes

    def _store(self, rows: list[dict[str, Any]]) -> None:
        self.writes.notify(rows)

    def recent(self, recipient: str, limit: int) -> list[Notification]:
        self.writes.write()
        return super().recent(recipient, limit)

    def list(
        self, recipient: str | None = None, kind: str | None = None, since: datetime | None = None
    ) -> list[Notification]:
        self.writes.write()
        return super().list(recipient, kind, since)
