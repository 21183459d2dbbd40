"""Ports of the service layer: the unit of work and repositories it runs commands through,
the clock and the document renderer. `db/` implements them for SQLite and PostgreSQL;
`tests/fakes.py` in memory."""

from __future__ import annotations

import abc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self

from engine.deadlines import Deadline, YearArrangement
from engine.domain.auth import AuditEntry, Credentials, SessionRecord
from engine.domain.case import Case
from engine.domain.decision import TimerRequest
from engine.domain.history import HistoryEvent
from engine.domain.integrity import UserLogEntry
from engine.domain.timers import Mark, TimerStatus
from engine.domain.users import User
from engine.service.api_ports import ApiTokenRepository, IdempotencyRepository
from engine.service.delivery_ports import DeliveryRepository
from engine.service.document_ports import DocumentFileRepository
from engine.service.read_models import (
    BoardEntry,
    BoardQuery,
    CaseQuery,
    CaseSummary,
    IssuedDocument,
    Notification,
    Page,
    StoredAttachment,
    StoredTimer,
)


class Clock(Protocol):
    def now(self) -> datetime: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password: str, password_hash: str) -> bool: ...


TemplateFields = Mapping[str, frozenset[str] | None]
"""What a notice's templates read of its data: name → keys read (None: all; template_fields)."""


class Renderer(Protocol):
    """Renders a notice template with its stored data to HTML text."""

    def render(self, template: str, data: Mapping[str, Any]) -> str: ...

    def exists(self, template: str) -> bool: ...

    def fields(self, template: str) -> TemplateFields | None:
        """What the template (and those it uses, its Word one) reads; None when unknown."""
        ...


class CaseRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, case: Case, events: Sequence[HistoryEvent]) -> None:
        """Insert a new case (its id and version 1 are set on it) with its first events."""

    @abc.abstractmethod
    def get(self, ref: str, *, lock: bool = False) -> Case:
        """Load a case or raise CaseNotFound; `lock` takes its row lock (PostgreSQL)."""

    @abc.abstractmethod
    def save(self, case: Case, expected_version: int, events: Sequence[HistoryEvent]) -> None:
        """Write the case's state and the events the command recorded; raise
        VersionConflict when another command changed it since `expected_version`."""

    @abc.abstractmethod
    def history(self, ref: str) -> list[HistoryEvent]: ...

    @abc.abstractmethod
    def search(self, query: CaseQuery) -> Page[CaseSummary]:
        """Filtered, ordered and paginated by the store (never a full read)."""

    @abc.abstractmethod
    def all_histories(self) -> Iterator[tuple[str, list[HistoryEvent]]]:
        """Every case's history, case by case in one ordered pass (for verification)."""

    @abc.abstractmethod
    def count(self) -> int: ...


class UserRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, user: User) -> None: ...

    @abc.abstractmethod
    def get(self, name: str) -> User | None: ...

    @abc.abstractmethod
    def list(self) -> list[User]: ...

    @abc.abstractmethod
    def update(self, user: User) -> None:
        """Store a user's role, unit, name and whether they are active."""

    @abc.abstractmethod
    def credentials(self, name: str) -> Credentials | None: ...

    @abc.abstractmethod
    def set_password(self, name: str, password_hash: str, must_change: bool, at: datetime) -> None:
        """Store a new password hash (clearing failures and any lock)."""

    @abc.abstractmethod
    def record_failures(self, name: str, failures: int, locked_until: datetime | None) -> None: ...


class SessionRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, session: SessionRecord) -> None: ...

    @abc.abstractmethod
    def get(self, token_hash: str) -> SessionRecord | None: ...

    @abc.abstractmethod
    def touch(self, token_hash: str, at: datetime) -> None: ...

    @abc.abstractmethod
    def end(self, token_hash: str, at: datetime) -> None: ...

    @abc.abstractmethod
    def end_all(self, user: str, at: datetime) -> int:
        """End every open session of a user (password reset, disabled account)."""


class AuditRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, entry: AuditEntry) -> None: ...

    @abc.abstractmethod
    def list(self, kind: str | None, page: int, per_page: int) -> Page[AuditEntry]: ...


class TimerRepository(abc.ABC):
    @abc.abstractmethod
    def start(self, case: Case, timer: TimerRequest, remind_at: datetime | None = None) -> None: ...

    @abc.abstractmethod
    def cancel_for_state(self, case: Case, state: str, at: datetime) -> int:
        """End the timers of a state the case leaves: pending ones are cancelled, expired
        ones (escalated, still on the board) end late."""

    @abc.abstractmethod
    def for_case(self, ref: str, pending_only: bool = True) -> list[StoredTimer]: ...

    def of_state(self, ref: str, state: str) -> list[StoredTimer]:
        """Every timer the case started in ``state`` (any status), in due order."""
        return [t for t in self.for_case(ref, pending_only=False) if t.state == state]

    @abc.abstractmethod
    def update_running(
        self,
        timer_id: int,
        *,
        pauses: list[dict[str, Any]],
        extensions: list[dict[str, Any]],
        paused: bool,
        deadline: Deadline,
        remind_at: datetime | None,
    ) -> None: ...

    @abc.abstractmethod
    def claim_due(
        self, now: datetime, limit: int = 1, after: tuple[datetime, int] | None = None
    ) -> list[StoredTimer]:
        """Pending, running timers due by `now`, in (due time, id) order, their cases locked
        for this transaction (others skip them); `after` continues a sweep past the (due
        time, id) it last claimed."""

    @abc.abstractmethod
    def claim_reminders(
        self, now: datetime, limit: int = 1, after: Mark | None = None, due: datetime | None = None
    ) -> list[StoredTimer]:
        """As claim_due, by reminder time; no timer due after ``due`` has one due by `now`."""

    @abc.abstractmethod
    def recheck(
        self, timer_ids: Sequence[int], now: datetime, reminders: bool = False
    ) -> dict[int, StoredTimer]:
        """Of the timers claimed, those still running and due (or to remind) by `now`,
        read afresh once their cases are locked, by id."""

    @abc.abstractmethod
    def claim_one(self, timer_id: int) -> StoredTimer | None: ...

    @abc.abstractmethod
    def close(self, timer_id: int, status: TimerStatus, at: datetime) -> None: ...

    @abc.abstractmethod
    def reminder_sent(self, timer_id: int, sent: list[int], remind_at: datetime | None) -> None: ...

    @abc.abstractmethod
    def open_deadlines(self, query: BoardQuery, now: datetime) -> Page[BoardEntry]:
        """Running or expired deadlines (a closed case has none: leaving a state ends its
        timers), overdue ones first, then running, then paused, by due time; paginated."""

    @abc.abstractmethod
    def provisional_pending(self) -> list[StoredTimer]: ...


class NotificationRepository(abc.ABC):
    @abc.abstractmethod
    def add(
        self,
        *,
        recipients: Sequence[str],
        kind: str,
        subject: str,
        body: str,
        at: datetime,
        case_id: int | None = None,
    ) -> None: ...

    @abc.abstractmethod
    def recent(self, recipient: str, limit: int) -> list[Notification]:
        """A person's newest notifications first."""

    @abc.abstractmethod
    def list(
        self, recipient: str | None = None, kind: str | None = None, since: datetime | None = None
    ) -> list[Notification]: ...


class DocumentRepository(abc.ABC):
    @abc.abstractmethod
    def add(
        self,
        case: Case,
        *,
        kind: str,
        title: str,
        number: str,
        template: str,
        data: Mapping[str, Any],
        html: str,
        sha256: str,
        issued_at: datetime,
        issued_by: str,
    ) -> int: ...

    @abc.abstractmethod
    def for_case(self, ref: str) -> list[IssuedDocument]: ...

    @abc.abstractmethod
    def get(self, doc_id: int) -> IssuedDocument | None: ...


class AttachmentRepository(abc.ABC):
    @abc.abstractmethod
    def add(
        self, case: Case, name: str, content: bytes, sha256: str, at: datetime, by: str
    ) -> int: ...

    @abc.abstractmethod
    def for_case(self, ref: str) -> list[StoredAttachment]: ...

    @abc.abstractmethod
    def content(self, attachment_id: int) -> bytes | None: ...

    @abc.abstractmethod
    def get(self, attachment_id: int) -> StoredAttachment | None: ...


class CounterRepository(abc.ABC):
    @abc.abstractmethod
    def next(self, series: str, year: int) -> int:
        """The next number of a series in a year, allocated inside the current transaction:
        a rolled-back transaction gives its number back, so numbers have no gaps."""


class CalendarRepository(abc.ABC):
    @abc.abstractmethod
    def imported(self) -> dict[int, YearArrangement]: ...

    @abc.abstractmethod
    def save(self, arrangement: YearArrangement, at: datetime, by: str) -> bool:
        """Store an official arrangement; True when it replaced an earlier import."""


class DepartmentNameRepository(abc.ABC):
    """The admin's current names of partner departments, per county: they override the
    county profile's [departments] names (the boundary tables keep the seeds' names)."""

    @abc.abstractmethod
    def all(self, county_id: str) -> dict[str, str]:
        """department key → name, for the keys the admin has renamed."""

    @abc.abstractmethod
    def set(self, county_id: str, department: str, name: str, at: datetime, by: str) -> None: ...

    @abc.abstractmethod
    def clear(self, county_id: str, department: str) -> bool:
        """Drop the admin's name (the profile's applies again); False when there was none."""


class UserLogRepository(abc.ABC):
    """The append-only, hash-chained user-administration log (engine.domain.integrity)."""

    @abc.abstractmethod
    def append(self, entry: UserLogEntry) -> UserLogEntry:
        """Append ``entry`` after the current head (its seq, prev_hash and hash are set
        here) and return it as stored."""

    @abc.abstractmethod
    def entries(self) -> Iterator[UserLogEntry]:
        """Every entry in order."""


@dataclass(frozen=True)
class CaseRecord:
    """Everything `verify` checks of one case, read together."""

    case: Case
    events: list[HistoryEvent]
    documents: list[IssuedDocument]
    attachments: list[tuple[StoredAttachment, str, int]]
    """Each attachment with the SHA-256 and size of the bytes actually stored."""
    timers: list[StoredTimer]


class IntegrityReader(abc.ABC):
    """The reads of `verify`: every case with what it holds, in batches (streaming), and
    the users with their stored password hashes."""

    @abc.abstractmethod
    def case_batches(self, size: int) -> Iterator[list[CaseRecord]]: ...

    @abc.abstractmethod
    def heads(self) -> Iterator[tuple[str, int, str]]:
        """Every case's number with its last event's seq and hash, by case number."""

    @abc.abstractmethod
    def users(self) -> list[tuple[User, str]]: ...


class UnitOfWorkBase(abc.ABC):
    """One transaction: leaving the block without `commit()` rolls everything back."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...


class AbstractUnitOfWork(UnitOfWorkBase):
    cases: CaseRepository
    files: DocumentFileRepository
    sessions: SessionRepository
    audit: AuditRepository
    users: UserRepository
    timers: TimerRepository
    documents: DocumentRepository
    attachments: AttachmentRepository
    counters: CounterRepository
    calendars: CalendarRepository
    notifications: NotificationRepository
    department_names: DepartmentNameRepository
    tokens: ApiTokenRepository
    idempotency: IdempotencyRepository
    deliveries: DeliveryRepository

    @abc.abstractmethod
    def savepoint(self) -> AbstractContextManager[None]:
        """A block whose writes are undone, alone, when it raises (the exception goes on);
        the transaction stays open for what follows (the sweep fires each timer so)."""

    def batch(self, refs: Sequence[str]) -> AbstractContextManager[dict[str, Case]]:
        """The cases of `refs`, loaded and locked together; the store may hold the block's
        writes and write them set-based (db/batch_writes.py). No savepoint inside it."""
        return nullcontext({ref: self.cases.get(ref, lock=True) for ref in refs})

    user_log: UserLogRepository
    integrity: IntegrityReader


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, readonly: bool = False) -> AbstractUnitOfWork: ...
