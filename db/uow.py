"""The SQL unit of work: one connection, one transaction per command."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from db.api import SqlApiTokenRepository, SqlIdempotencyRepository
from db.batch_writes import BatchCaseRepository, BatchNotificationRepository, BatchWrites
from db.cases import SqlCaseRepository
from db.deliveries import SqlDeliveryRepository
from db.document_files import SqlDocumentFileRepository
from db.fast import run_sql
from db.idle import IN_UNIT, idle_connections
from db.integrity import SqlIntegrityReader, SqlUserLogRepository
from db.notifications import SqlNotificationRepository
from db.repositories import (
    SqlAttachmentRepository,
    SqlCalendarRepository,
    SqlCounterRepository,
    SqlDepartmentNameRepository,
    SqlDocumentRepository,
)
from db.timers import SqlTimerRepository
from db.users import SqlAuditRepository, SqlSessionRepository, SqlUserRepository
from engine.domain.case import Case
from engine.domain.errors import DatabaseBusy, ValueNotStorable
from engine.service.ports import AbstractUnitOfWork

_savepoints = itertools.count(1)

CONTENTION_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
"""serialization_failure, deadlock_detected, lock_not_available: PostgreSQL refusing one
transaction for the sake of concurrent ones."""


def unstorable(exc: BaseException) -> str:
    """Why the driver refused a value, in words."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if isinstance(exc, OverflowError) or "out of range" in text or "too large" in text:
        return "数值过大或过小"
    if isinstance(exc, UnicodeError):
        return "文本含有无法识别的字符"
    if "nul" in text or "0x00" in text:
        return "文本含有空字符"
    if "too long" in text:
        return "文本过长"
    return "格式不符"


def contention(exc: BaseException) -> bool:
    """Whether a driver error means "concurrent transactions", not "no database": the
    database answered, and the transaction may simply be run again."""
    if not isinstance(exc, sa.exc.DBAPIError) or exc.connection_invalidated:
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in CONTENTION_SQLSTATES:
        return True
    # sqlite3: the write lock still held by another connection after busy_timeout
    return getattr(orig, "sqlite_errorname", "") in {"SQLITE_BUSY", "SQLITE_LOCKED"}


_REPOSITORIES: dict[str, Callable[[sa.Connection], Any]] = {
    "users": SqlUserRepository,
    "documents": SqlDocumentRepository,
    "files": SqlDocumentFileRepository,
    "attachments": SqlAttachmentRepository,
    "counters": SqlCounterRepository,
    "calendars": SqlCalendarRepository,
    "department_names": SqlDepartmentNameRepository,
    "notifications": SqlNotificationRepository,
    "sessions": SqlSessionRepository,
    "audit": SqlAuditRepository,
    "tokens": SqlApiTokenRepository,
    "idempotency": SqlIdempotencyRepository,
    "deliveries": SqlDeliveryRepository,
    "user_log": SqlUserLogRepository,
    "integrity": SqlIntegrityReader,
}
"""The unit of work's repositories besides the cases' and the timers', by attribute."""


class SqlUnitOfWork(AbstractUnitOfWork):
    """One connection and its one transaction; read-only ones begin deferred on SQLite."""

    def __init__(self, engine: Engine, *, readonly: bool = False) -> None:
        self.engine = engine
        self.readonly = readonly
        self.conn: sa.Connection | None = None
        self._tx: sa.RootTransaction | None = None
        self._made: list[str] = []

    def __enter__(self) -> SqlUnitOfWork:
        conn = idle_connections(self.engine).take()
        info = conn.info  # a property of a property: looked up once
        info["readonly"] = self.readonly
        info[IN_UNIT] = object()  # this `with`'s own (db/case_entries.py)
        self.conn = conn
        self._tx = conn.begin()
        self.timers = self._timers = SqlTimerRepository(conn)
        self.cases = SqlCaseRepository(conn, self._timers)
        for name in self._made:  # those of an earlier `with` of this unit of work
            del self.__dict__[name]
        self._made.clear()
        return self

    def __getattr__(self, name: str) -> Any:
        """The other repositories, made on first use: a command uses two or three of
        them, and making all fifteen cost more than some commands' own Python."""
        make = _REPOSITORIES.get(name)
        if make is None or self.conn is None:
            raise AttributeError(name)
        repository = make(self.conn)
        setattr(self, name, repository)
        self._made.append(name)
        return repository

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            if self.conn is not None:
                info = self.conn.info
                info.pop("readonly", None)
                info.pop(IN_UNIT, None)
                idle_connections(self.engine).give(self.conn)
                self.conn = None
        if exc is not None and contention(exc):  # typed, so the caller can retry
            raise DatabaseBusy(type(exc.orig).__name__) from exc  # type: ignore[attr-defined]
        if isinstance(exc, OverflowError | UnicodeError | sa.exc.DataError):
            raise ValueNotStorable(unstorable(exc)) from exc

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """SAVEPOINT … RELEASE on the driver's cursor (two statements, no SQLAlchemy
        transaction object); on an exception, ROLLBACK TO it and forget what the
        repositories had cached from the undone writes."""
        assert self.conn is not None
        assert self._timers.batch is None, "no savepoint inside a batch"
        name = f"cf_sp_{next(_savepoints)}"
        self._timers.flush()  # what was held before it is not undone with it
        run_sql(self.conn, f"SAVEPOINT {name}")
        try:
            yield
        except BaseException as exc:
            # After a deadlock or a lock refused inside it, PostgreSQL undoes the savepoint
            # (releasing the locks it took) and the transaction goes on.
            run_sql(self.conn, f"ROLLBACK TO SAVEPOINT {name}")
            run_sql(self.conn, f"RELEASE SAVEPOINT {name}")
            self.timers = self._timers = SqlTimerRepository(self.conn)
            self.cases = SqlCaseRepository(self.conn, self._timers)
            if contention(exc):
                raise DatabaseBusy(type(exc.orig).__name__) from exc  # type: ignore[attr-defined]
            raise
        run_sql(self.conn, f"RELEASE SAVEPOINT {name}")

    @contextmanager
    def batch(self, refs: Sequence[str]) -> Iterator[dict[str, Case]]:
        """PostgreSQL: the cases read in one statement and the batch's writes held and
        written set-based (db/batch_writes.py) when the block ends or before anything
        reads them back. SQLite: read one by one and written as they are made (its one
        step per command already runs inside SQLite, db/case_steps.py)."""
        assert self.conn is not None
        if self.conn.dialect.name != "postgresql":
            yield {ref: self.cases.get(ref, lock=True) for ref in refs}
            return
        writes = BatchWrites(self.conn)
        plain = self.cases, self.notifications
        cases = BatchCaseRepository(self.conn, self._timers, writes)
        self.cases, self.notifications = cases, BatchNotificationRepository(self.conn, writes)
        self._timers.batch = writes
        try:
            yield cases.load(refs)
            writes.write()
        finally:
            self._timers.batch = None
            self.cases, self.notifications = plain

    def commit(self) -> None:
        if self._tx is not None and self._tx.is_active:
            self._timers.flush()  # timer writes no step carried (db/case_steps.py)
            self._tx.commit()

    def rollback(self) -> None:
        if self._tx is not None and self._tx.is_active:
            self._tx.rollback()


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, *, readonly: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, readonly=readonly)
