"""SQLModel tables. Timestamps are stored in UTC (aware on PostgreSQL, UTC-normalised on
SQLite) and come back aware; display converts them to Asia/Shanghai."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from db.deflate import SQLiteDeflatedJSON, SQLiteDeflatedText


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC on every backend."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    # SQLite: the two steps above and SQLAlchemy's text conversion in one function each,
    # storing and reading the very same text (every command binds and reads several).

    def bind_processor(self, dialect: Dialect) -> Any:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTCDateTime column")
            t = value.astimezone(UTC)
            fields = (t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond)
            return _SQLITE_TEXT % fields

        return process

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        impl = self.impl_instance.dialect_impl(dialect)
        to_datetime = impl.result_processor(dialect, coltype)
        assert to_datetime is not None
        text_to_datetime = cast(Callable[[str], datetime], to_datetime)

        def process(value: str | None) -> datetime | None:
            if value is None:
                return None
            found = text_to_datetime(value)
            return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)

        return process


_SQLITE_TEXT = "%04d-%02d-%02d %02d:%02d:%02d.%06d"
"""SQLAlchemy's storage format of a SQLite DATETIME (sqlalchemy.dialects.sqlite.DATETIME)."""


def _ts(**kw: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kw)


def _json(**kw: Any) -> Any:
    return Field(default_factory=dict, sa_type=sa.JSON, **kw)


class UserRow(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True, index=True)
    role: str = Field(max_length=16)
    unit: str = Field(max_length=200)
    display_name: str = Field(default="", max_length=200)
    active: bool = True
    # What documents print of the user: the 执法证号 and the title (劳动保障监察条例 art. 16,
    # 行政处罚法 art. 55: the officers show their law-enforcement certificates).
    cert_no: str = Field(default="", max_length=32)
    title: str = Field(default="", max_length=50)
    # Sign-in: an argon2 hash ("" = no password: the user cannot sign in to the web app),
    # a one-time password to be changed at the first sign-in, and the lock-out after
    # repeated failures (persisted, so a restart does not reset it).
    password_hash: str = Field(default="", max_length=300)
    must_change_password: bool = False
    password_changed_at: datetime | None = _ts(default=None, nullable=True)
    failed_logins: int = 0
    locked_until: datetime | None = _ts(default=None, nullable=True)


class SessionRow(SQLModel, table=True):
    """A signed-in browser session. The cookie carries a random token; only its SHA-256 is
    stored, so the table does not hold usable session ids."""

    __tablename__ = "sessions"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_name: str = Field(max_length=64, index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = _ts()
    last_seen_at: datetime = _ts()
    expires_at: datetime = _ts()
    """The absolute expiry; the idle expiry is counted from ``last_seen_at``."""
    ended_at: datetime | None = _ts(default=None, nullable=True)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=300)


class AuditRow(SQLModel, table=True):
    """Security-relevant events: sign-ins and their failures, lock-outs, permission
    denials, user administration, calendar imports, verification runs."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_at", "at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts()
    kind: str = Field(max_length=32, index=True)
    actor: str = Field(default="", max_length=64)
    subject: str = Field(default="", max_length=200)
    """Whom or what the event concerns (a user name, a case number, a page)."""
    detail: str = Field(default="", sa_type=sa.Text)
    ip: str = Field(default="", max_length=64)
    channel: str = Field(default="", max_length=16)


POSTGRES_ONLY_INDEXES = frozenset(
    {
        "ix_cases_subject_trgm",
        "ix_cases_complainant_trgm",
        "ix_timers_open_due",
        "ix_timers_case_id",
        "ix_timers_running_remind",
        "ix_documents_case_id",
        "ix_case_assignees_case_id",
    }
)
"""Indexes created on PostgreSQL only (`ddl_if`), which Alembic's comparison does not know."""
SQLITE_ONLY_INDEXES = frozenset({"ix_timers_held_due", "ix_documents_serial_case_id"})
"""Indexes created on SQLite only (`ddl_if`)."""
POSTGRES_ONLY_CONSTRAINTS = frozenset({"uq_history_case_seq"})
"""Unique constraints created on PostgreSQL only (`ddl_if`; on SQLite the history's primary
key holds (case_id, seq), db/event_ids.py)."""


class CaseRow(SQLModel, table=True):
    __tablename__ = "cases"
    # The case search orders by opening time, newest first; filters narrow it by unit (its
    # own index), procedure, or procedure and state (one index: a case's procedure never
    # changes, so opening a case writes one index entry for both, not two; a search by
    # state alone reads it once per procedure that has the state); overdue cases, a small
    # share, have a partial index in the same order. On PostgreSQL, trigram indexes serve
    # the substring search of party and complainant names (SQLite: db/name_search.py).
    __table_args__ = (
        sa.Index("ix_cases_opened", "opened_at", "id"),
        sa.Index("ix_cases_procedure_state", "procedure", "state"),
        sa.Index(
            "ix_cases_overdue",
            "opened_at",
            "id",
            sqlite_where=sa.text("overdue IS 1"),
            postgresql_where=sa.text("overdue IS true"),
        ),
        sa.Index(
            "ix_cases_subject_trgm",
            "subject_name",
            postgresql_using="gin",
            postgresql_ops={"subject_name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        sa.Index(
            "ix_cases_complainant_trgm",
            "complainant",
            postgresql_using="gin",
            postgresql_ops={"complainant": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=40, unique=True, index=True)
    procedure: str = Field(max_length=64)
    procedure_version: int
    state: str = Field(max_length=64)
    version: int = 0
    subject_name: str = Field(max_length=300)
    subject_address: str = Field(max_length=500)
    subject_uscc: str = Field(max_length=18, index=True)
    complainant: str = Field(default="", max_length=100)
    source: str = Field(max_length=200)
    unit: str = Field(max_length=200, index=True)
    matter: str = Field(default="", max_length=64)
    data: dict[str, Any] = _json()
    assignees: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    opened_by: str = Field(max_length=64)
    opened_at: datetime = _ts()
    closed_at: datetime | None = _ts(default=None, nullable=True)
    last_seq: int = 0
    last_hash: str = Field(max_length=64)
    overdue: bool = False


class CaseAssigneeRow(SQLModel, table=True):
    """Who is assigned to a case, one row each, so that "cases of inspector X" is an index
    lookup (the case row keeps the ordered list as well)."""

    __tablename__ = "case_assignees"
    # The primary key is (user, case): it answers both "cases of inspector X" and "is X
    # assigned to this case", and a case's own list is the case row's. On SQLite it is the
    # table (WITHOUT ROWID), so an assignee is one b-tree entry, not two (a WAL page less
    # on opening a case and on assigning one, migration 0019). PostgreSQL also keeps an
    # index by case for its foreign key.
    __table_args__ = (
        sa.Index("ix_case_assignees_case_id", "case_id").ddl_if(dialect="postgresql"),
        {"sqlite_with_rowid": False},
    )

    user_name: str = Field(max_length=64, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", primary_key=True)


EVENTS_PER_CASE = 1 << 24
"""On SQLite an event's id is ``case_id × EVENTS_PER_CASE + seq`` (db/event_ids.py)."""


class HistoryRow(SQLModel, table=True):
    __tablename__ = "history"
    # PostgreSQL: the unique (case_id, seq) serves every lookup by case (no separate case_id
    # index). SQLite: the id is (case_id, seq) in one integer, held to it by the CHECK, so
    # the primary key is unique on (case_id, seq) and a case's events are a rowid range.
    __table_args__ = (
        sa.UniqueConstraint("case_id", "seq", name="uq_history_case_seq").ddl_if(
            dialect="postgresql"
        ),
        sa.CheckConstraint(
            f"id = case_id * {EVENTS_PER_CASE} + seq AND seq BETWEEN 1 AND {EVENTS_PER_CASE - 1}",
            name="ck_history_id_is_case_seq",
        ).ddl_if(dialect="sqlite"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    seq: int
    at: datetime = _ts()
    actor: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    trigger: str | None = Field(default=None, max_length=64)
    from_state: str | None = Field(default=None, max_length=64)
    to_state: str | None = Field(default=None, max_length=64)
    payload: dict[str, Any] = _json()
    reason: str = ""
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class CaseEntryRow(SQLModel, table=True):
    """An item of one of a case's growing lists (engine/domain/entries.py): its services and
    payments, one row each, so a command on a large case reads and writes none of them."""

    __tablename__ = "case_entries"
    # On SQLite the primary key is the table (WITHOUT ROWID), as case_assignees'.
    __table_args__ = ({"sqlite_with_rowid": False},)

    case_id: int = Field(foreign_key="cases.id", primary_key=True)
    key: str = Field(max_length=32, primary_key=True)
    seq: int = Field(primary_key=True)
    item: dict[str, Any] = _json()


TIMERS_PER_CASE = 1 << 24
"""On SQLite a timer's id is ``case_id × TIMERS_PER_CASE + n`` (db/timer_ids.py)."""
TIMER_ID_CHECK = f"id > case_id * {TIMERS_PER_CASE} AND id < (case_id + 1) * {TIMERS_PER_CASE}"
"""SQLite: the CHECK holding a timer's id to its case (ck_timers_id_in_case)."""


class TimerRow(SQLModel, table=True):
    __tablename__ = "timers"
    # The sweep's queries read only running timers in due order: partial indexes keep them
    # proportional to the timers due, not to every timer ever started. The deadline board
    # reads the open timers (pending or expired) in due order: on PostgreSQL from their own
    # index, on SQLite as two ranges merged, the running ones (the sweep's index) and the
    # held ones — expired, or paused — whose index a running timer's start and end leave
    # alone: two pages fewer written per command that starts or ends a deadline
    # (db/timers.py, open_deadlines). The reminders have their own index on PostgreSQL; on
    # SQLite the sweep reads them from the running timers' due index, up to a bound no
    # timer due later has a reminder due by (engine/domain/timers.py, reminded_due_by):
    # two pages fewer again. On SQLite a timer's id is keyed by its case (the CHECK), so a
    # case's timers are a rowid range and need no case_id index.
    __table_args__ = (
        sa.Index("ix_timers_case_id", "case_id").ddl_if(dialect="postgresql"),
        sa.CheckConstraint(TIMER_ID_CHECK, name="ck_timers_id_in_case").ddl_if(dialect="sqlite"),
        sa.Index(  # (due_at, id): the sweep's and the board's order; remind_at: the
            # reminders' filter read from the index itself (migration 0020)
            "ix_timers_running_due",
            "due_at",
            "id",
            "remind_at",
            postgresql_where=sa.text("status = 'pending' AND NOT paused"),
            sqlite_where=sa.text("status = 'pending' AND NOT paused"),
        ),
        sa.Index(
            "ix_timers_open_due",
            "due_at",
            "id",
            postgresql_where=sa.text("status IN ('pending', 'expired')"),
        ).ddl_if(dialect="postgresql"),
        sa.Index(
            "ix_timers_held_due",
            "due_at",
            "id",
            sqlite_where=sa.text("status = 'expired' OR (status = 'pending' AND paused)"),
        ).ddl_if(dialect="sqlite"),
        sa.Index(
            "ix_timers_running_remind",
            "remind_at",
            postgresql_where=sa.text("status = 'pending' AND NOT paused AND remind_at IS NOT NULL"),
        ).ddl_if(dialect="postgresql"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    name: str = Field(max_length=64)
    label: str = Field(max_length=200)
    state: str = Field(max_length=64)
    on_expiry: str | None = Field(default=None, max_length=64)
    basis: str = Field(max_length=500)
    period_amount: int
    period_unit: str = Field(max_length=16)
    started_at: datetime = _ts()
    due_at: datetime = _ts()
    last_day: str = Field(max_length=10)
    provisional: bool = False
    status: str = Field(default="pending", max_length=16)
    reminders: list[int] = Field(default_factory=list, sa_type=sa.JSON)
    reminders_sent: list[int] = Field(default_factory=list, sa_type=sa.JSON)
    closed_at: datetime | None = _ts(default=None, nullable=True)
    pauses: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    extensions: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    paused: bool = False
    remind_at: datetime | None = _ts(default=None, nullable=True)


DOCUMENTS_PER_CASE = 1 << 24
"""On SQLite a document's id is ``case_id × DOCUMENTS_PER_CASE + n`` (db/document_ids.py)."""
SERIAL_DOCUMENT = f"id < {DOCUMENTS_PER_CASE}"
"""SQLite: a document issued before its id was keyed by its case (migration 0017)."""
DOCUMENT_ID_CHECK = (
    f"{SERIAL_DOCUMENT} OR "
    f"(id > case_id * {DOCUMENTS_PER_CASE} AND id < (case_id + 1) * {DOCUMENTS_PER_CASE})"
)
"""SQLite: the CHECK holding a document's id to its case (ck_documents_id_in_case)."""


class DocumentRow(SQLModel, table=True):
    __tablename__ = "documents"
    # SQLite: a document's id is keyed by its case (the CHECK), so a case's documents are a
    # rowid range and need no case_id index; those issued before keep their serial ids
    # (their events record them) and are found by a partial index that holds only them.
    # Its HTML and data are stored deflated with dictionaries (db/deflate.py).
    __table_args__ = (
        sa.Index("ix_documents_case_id", "case_id").ddl_if(dialect="postgresql"),
        sa.Index(
            "ix_documents_serial_case_id", "case_id", sqlite_where=sa.text(SERIAL_DOCUMENT)
        ).ddl_if(dialect="sqlite"),
        sa.CheckConstraint(DOCUMENT_ID_CHECK, name="ck_documents_id_in_case").ddl_if(
            dialect="sqlite"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    kind: str = Field(max_length=64)
    title: str = Field(max_length=200)
    number: str = Field(max_length=100, unique=True)
    template: str = Field(max_length=200)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=SQLiteDeflatedJSON)
    html: str = Field(sa_type=SQLiteDeflatedText)
    sha256: str = Field(max_length=64)
    issued_at: datetime = _ts()
    issued_by: str = Field(max_length=64)


class ReferralRow(SQLModel, table=True):
    __tablename__ = "referrals"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    department: str = Field(max_length=64)
    department_name: str = Field(max_length=200)
    reason: str = ""
    status: str = Field(default="sent", max_length=16)
    sent_at: datetime = _ts()
    due_at: datetime | None = _ts(default=None, nullable=True)
    received_at: datetime | None = _ts(default=None, nullable=True)
    answered_at: datetime | None = _ts(default=None, nullable=True)
    answer: str = ""


class AttachmentRow(SQLModel, table=True):
    __tablename__ = "attachments"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    name: str = Field(max_length=300)
    sha256: str = Field(max_length=64, index=True)
    size: int
    content: bytes = Field(sa_type=sa.LargeBinary)
    added_at: datetime = _ts()
    added_by: str = Field(max_length=64)


class CounterRow(SQLModel, table=True):
    __tablename__ = "counters"

    series: str = Field(primary_key=True, max_length=100)
    year: int = Field(primary_key=True)
    value: int = 0


class NotificationRow(SQLModel, table=True):
    """The outbox: messages for people, for a later mail/SMS channel to deliver."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_pending", "delivered_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    recipient: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=32)
    subject: str = Field(max_length=300)
    body: str = Field(sa_type=sa.Text)
    created_at: datetime = _ts()
    delivered_at: datetime | None = _ts(default=None, nullable=True)
    channel: str = Field(default="", max_length=32)
    planned_at: datetime | None = _ts(default=None, nullable=True)
    """When its deliveries (notification_deliveries) were planned; NULL: not yet."""


class CalendarYearRow(SQLModel, table=True):
    __tablename__ = "calendar_years"

    year: int = Field(primary_key=True)
    source: str = Field(max_length=300)
    data: dict[str, Any] = _json()
    imported_at: datetime = _ts()
    imported_by: str = Field(max_length=64)


METADATA = SQLModel.metadata


class DocumentFileRow(SQLModel, table=True):
    """A file rendered from an issued document (the worker's PDF, …): written once, one per
    document and format, with its own SHA-256 and the SHA-256 of the HTML it came from."""

    __tablename__ = "document_files"
    __table_args__ = (
        sa.UniqueConstraint("document_id", "format", name="uq_document_files_document_format"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", index=True)
    format: str = Field(max_length=8)
    content: bytes = Field(sa_type=sa.LargeBinary)
    size: int
    sha256: str = Field(max_length=64)
    source_sha256: str = Field(max_length=64)
    renderer: str = Field(max_length=100)
    rendered_at: datetime = _ts()


class DepartmentNameRow(SQLModel, table=True):
    """The admin's name for a partner department in the county as it is now (a referral
    letter goes to 县市场监督管理局, not to the 县工商局 the boundary table records): it
    overrides the county profile's [departments] name for that department key."""

    __tablename__ = "department_names"

    county_id: str = Field(max_length=64, primary_key=True)
    department: str = Field(max_length=64, primary_key=True)
    name: str = Field(max_length=200)
    updated_at: datetime = _ts()
    updated_by: str = Field(max_length=64)


class ApiTokenRow(SQLModel, table=True):
    """A per-user API token of the JSON API: only its SHA-256 is stored (the token is shown
    once, when created), with the first characters to tell tokens apart."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_name: str = Field(max_length=64, index=True)
    label: str = Field(max_length=200)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    prefix: str = Field(max_length=16)
    created_at: datetime = _ts()
    created_by: str = Field(max_length=64)
    last_used_at: datetime | None = _ts(default=None, nullable=True)
    revoked_at: datetime | None = _ts(default=None, nullable=True)


class IdempotencyKeyRow(SQLModel, table=True):
    """An API command sent with an Idempotency-Key: per user and key, the request's
    fingerprint and, once done, the response every retry gets (status 0 while running)."""

    __tablename__ = "idempotency_keys"

    user_name: str = Field(max_length=64, primary_key=True)
    key: str = Field(max_length=200, primary_key=True)
    fingerprint: str = Field(max_length=64)
    status: int = 0
    response: dict[str, Any] = _json()
    created_at: datetime = _ts()


class NotificationDeliveryRow(SQLModel, table=True):
    """One notification to one channel of its recipient: attempts, back-off, dead letter.
    ``key`` is the idempotency key every attempt carries."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (sa.Index("ix_notification_deliveries_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    notification_id: int = Field(foreign_key="notifications.id", index=True)
    channel: str = Field(max_length=64)
    address: str = Field(default="", max_length=300)
    key: str = Field(max_length=100, unique=True)
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = _ts()
    last_error: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = _ts()
    sent_at: datetime | None = _ts(default=None, nullable=True)


class UserLogRow(SQLModel, table=True):
    """The user-administration log: who added, enabled, disabled, moved or gave a password
    to whom, each entry with the user as it then stands and hash-chained to the previous
    one (engine.domain.integrity.UserLogEntry), so `verify` can tell a role or password
    changed in the database directly. Append-only."""

    __tablename__ = "user_log"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True)
    at: datetime = _ts()
    actor: str = Field(max_length=64)
    user_name: str = Field(max_length=64, index=True)
    action: str = Field(max_length=32)
    role: str = Field(max_length=16)
    unit: str = Field(max_length=200)
    active: bool
    credential: str = Field(default="", max_length=64)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
