"""Typed rows the repositories hand back to the services (and the services to the entry
points): stored timers, documents, attachments, notifications, case summaries, and the
queries and pages of the read side (case search, deadline board)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from engine.deadlines import Period, Unit
from engine.domain.errors import InvalidInput
from engine.domain.text import checked
from engine.domain.timers import TimerStatus
from engine.domain.visibility import Scope

if TYPE_CHECKING:
    from engine.domain.case import Case

T = TypeVar("T")

MAX_PER_PAGE = 500


@dataclass(frozen=True)
class CaseSummary:
    """A case as a list shows it (no data, no history)."""

    ref: str
    procedure: str
    procedure_version: int
    state: str
    subject_name: str
    subject_uscc: str
    unit: str
    assignees: list[str]
    opened_at: datetime
    closed_at: datetime | None
    version: int
    overdue: bool
    source: str = ""
    complainant: str = ""
    id: int | None = None

    @classmethod
    def of(cls, case: Case) -> CaseSummary:
        return cls(
            id=case.id,
            ref=case.ref,
            procedure=case.procedure,
            procedure_version=case.procedure_version,
            state=case.state,
            subject_name=case.subject.name,
            subject_uscc=case.subject.uscc,
            unit=case.unit,
            assignees=list(case.assignees),
            opened_at=case.opened_at,
            closed_at=case.closed_at,
            version=case.version,
            overdue=case.overdue,
            source=case.source,
            complainant=str(case.data.get("complainant") or "")[:100],
        )


@dataclass(frozen=True)
class StoredTimer:
    id: int
    case_ref: str
    name: str
    label: str
    state: str
    on_expiry: str | None
    basis: str
    period_amount: int
    period_unit: str
    started_at: datetime
    due_at: datetime
    last_day: str
    provisional: bool
    status: TimerStatus
    reminders: list[int] = field(default_factory=list)
    reminders_sent: list[int] = field(default_factory=list)
    pauses: list[dict[str, Any]] = field(default_factory=list)
    extensions: list[dict[str, Any]] = field(default_factory=list)
    paused: bool = False
    remind_at: datetime | None = None
    case_id: int | None = None

    @property
    def rule(self) -> Period:
        return Period(self.period_amount, Unit(self.period_unit))


@dataclass(frozen=True)
class Notification:
    id: int
    case_id: int | None
    recipient: str
    kind: str
    subject: str
    body: str
    created_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True)
class IssuedDocument:
    id: int
    case_ref: str
    kind: str
    title: str
    number: str
    template: str
    data: dict[str, Any]
    html: str
    sha256: str
    issued_at: datetime
    issued_by: str


@dataclass(frozen=True)
class StoredAttachment:
    id: int
    case_ref: str
    name: str
    sha256: str
    size: int
    added_at: datetime
    added_by: str


class CaseSort(StrEnum):
    """Orders of the case search (all served by an index)."""

    OPENED_DESC = "opened_desc"
    OPENED_ASC = "opened_asc"


@dataclass(frozen=True)
class CaseQuery:
    """A case search: every filter optional, results ordered and paginated in SQL."""

    text: str | None = None
    """A case number, part of the party's or the complainant's name, or a 统一社会信用代码."""
    procedure: str | None = None
    state: str | None = None
    unit: str | None = None
    inspector: str | None = None
    open_only: bool = False
    overdue_only: bool = False
    opened_from: date | None = None
    opened_to: date | None = None
    in_states: frozenset[tuple[str, str]] | None = None
    """Only cases in these (procedure, state) pairs (what waits for someone's approval)."""
    sort: CaseSort = CaseSort.OPENED_DESC
    scope: Scope | None = None
    """Only the cases this view allows (None: no restriction — the CLI, the sweep)."""
    page: int = 1
    per_page: int = 50

    def __post_init__(self) -> None:
        check_filters(
            {"查询内容": self.text, "程序": self.procedure, "状态": self.state},
            {"承办单位": self.unit, "承办人": self.inspector},
            page=self.page,
        )

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


MAX_PAGE = 1_000_000


def check_filters(*fields: Mapping[str, str | None], page: int = 1) -> None:
    """Search filters as people type them: the edge's text checks (engine.domain.text) and a
    page number the database can count to."""
    for group in fields:
        for name, value in group.items():
            if value:
                checked(name, value, 300)
    if not 1 <= page <= MAX_PAGE:
        raise InvalidInput("页码", f"应在 1 到 {MAX_PAGE} 之间")


@dataclass(frozen=True)
class BoardQuery:
    """The deadline board: open deadlines of open cases, overdue first, then by due time
    (running ones before paused ones)."""

    procedure: str | None = None
    unit: str | None = None
    inspector: str | None = None
    due_within_days: int | None = None
    """Only those overdue or due within this many days."""
    due_from: date | None = None
    due_to: date | None = None
    """Only those whose last day falls in this range (the calendar of a month)."""
    scope: Scope | None = None
    case: str | None = None
    """Only the deadlines of this case."""
    page: int = 1
    per_page: int = 100

    def __post_init__(self) -> None:
        check_filters(
            {"程序": self.procedure, "承办单位": self.unit, "承办人": self.inspector},
            {"案件编号": self.case},
            page=self.page,
        )
        if self.due_within_days is not None and not 0 <= self.due_within_days <= 36_500:
            raise InvalidInput("到期天数", "应在 0 到 36500 天之间")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class BoardEntry:
    """A deadline on the board: the timer and its case."""

    timer: StoredTimer
    case: CaseSummary


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int
    more: bool = False
    """`total` is a lower bound: the store stopped counting there (a broad search over a
    large bureau's cases need not count them all to show one page)."""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def count_label(self) -> str:
        return f"超过 {self.total:,} 项" if self.more else f"共 {self.total:,} 项"

    @property
    def has_next(self) -> bool:
        return self.page < self.pages
