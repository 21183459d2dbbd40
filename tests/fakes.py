"""An in-memory unit of work and repositories, for service and sweep tests that run in
milliseconds. Each unit of work works on a copy of the committed state and replaces it on
commit; saving a case checks its version against the committed state, as the database's
compare-and-set does, so a stale writer gets VersionConflict."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, TypeVar

from engine.deadlines import LOCAL_TZ, Deadline, YearArrangement
from engine.domain.auth import AuditEntry, Credentials, SessionRecord
from engine.domain.case import Case
from engine.domain.decision import TimerRequest
from engine.domain.errors import CaseNotFound, VersionConflict
from engine.domain.history import HistoryEvent
from engine.domain.integrity import UserLogEntry
from engine.domain.timers import TimerStatus
from engine.domain.users import User
from engine.service import api_ports, ports
from engine.service.api_ports import ApiToken, IdempotencyRecord
from engine.service.delivery_ports import Delivery, DeliveryRepository, DeliveryStatus
from engine.service.document_ports import (
    DocumentFileRepository,
    DocumentFormat,
    FileInfo,
    StoredFile,
)
from engine.service.read_models import (
    BoardEntry,
    BoardQuery,
    CaseQuery,
    CaseSort,
    CaseSummary,
    IssuedDocument,
    Notification,
    Page,
    StoredAttachment,
    StoredTimer,
)

T = TypeVar("T")


@dataclass
class State:
    """Everything the store holds; copied for each unit of work."""

    cases: dict[str, Case] = field(default_factory=dict)
    history: dict[str, list[HistoryEvent]] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    timers: dict[int, StoredTimer] = field(default_factory=dict)
    documents: dict[int, IssuedDocument] = field(default_factory=dict)
    files: dict[tuple[int, DocumentFormat], StoredFile] = field(default_factory=dict)
    attachments: dict[int, tuple[StoredAttachment, bytes]] = field(default_factory=dict)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)
    calendars: dict[int, YearArrangement] = field(default_factory=dict)
    department_names: dict[tuple[str, str], str] = field(default_factory=dict)
    notifications: list[Notification] = field(default_factory=list)
    credentials: dict[str, Credentials] = field(default_factory=dict)
    sessions: dict[str, SessionRecord] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    tokens: dict[int, tuple[ApiToken, str]] = field(default_factory=dict)
    idempotency: dict[tuple[str, str], IdempotencyRecord] = field(default_factory=dict)
    deliveries: dict[int, Delivery] = field(default_factory=dict)
    planned: set[int] = field(default_factory=set)
    user_log: list[UserLogEntry] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)

    def next_id(self, kind: str) -> int:
        self.ids[kind] = self.ids.get(kind, 0) + 1
        return self.ids[kind]


def paginate(items: list[T], page: int, per_page: int) -> Page[T]:
    start = (page - 1) * per_page
    return Page(items[start : start + per_page], len(items), page, per_page)


def summary(case: Case) -> CaseSummary:
    return CaseSummary(
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
        complainant=str(case.data.get("complainant") or ""),
        id=case.id,
    )


class FakeCases(ports.CaseRepository):
    def __init__(self, state: State, committed: Callable[[], State]) -> None:
        self.s = state
        self.committed = committed
        self.saved: set[str] = set()

    def add(self, case: Case, events: Sequence[HistoryEvent]) -> None:
        case.id = self.s.next_id("case")
        case.version = 1
        self.s.cases[case.ref] = case
        self.s.history[case.ref] = list(events)

    def get(self, ref: str, *, lock: bool = False) -> Case:
        if ref not in self.s.cases:
            raise CaseNotFound(ref)
        return self.s.cases[ref]

    def save(self, case: Case, expected_version: int, events: Sequence[HistoryEvent]) -> None:
        # Against the committed state for the first write of this case in the unit of work
        # (another writer may have committed since it began); after that against its own
        # writes, as an UPDATE … WHERE version = :seen sees its own transaction's rows.
        stored = None if case.ref in self.saved else self.committed().cases.get(case.ref)
        mine = self.s.cases.get(case.ref)
        for seen in (stored, mine):
            if seen is not None and seen is not case and seen.version != expected_version:
                raise VersionConflict(case.ref, expected_version)
        self.saved.add(case.ref)
        case.version = expected_version + 1
        self.s.cases[case.ref] = case
        self.s.history.setdefault(case.ref, []).extend(events)

    def history(self, ref: str) -> list[HistoryEvent]:
        return list(self.s.history.get(ref, []))

    def search(self, query: CaseQuery) -> Page[CaseSummary]:
        found = [summary(c) for c in self.s.cases.values() if matches(c, query, self.s)]
        found.sort(
            key=lambda c: (c.opened_at, c.id or 0), reverse=query.sort is CaseSort.OPENED_DESC
        )
        return paginate(found, query.page, query.per_page)

    def all_histories(self) -> Iterator[tuple[str, list[HistoryEvent]]]:
        for case in sorted(self.s.cases.values(), key=lambda c: c.id or 0):
            yield case.ref, self.history(case.ref)

    def count(self) -> int:
        return len(self.s.cases)


def matches(case: Case, q: CaseQuery, state: State) -> bool:
    text = (q.text or "").strip()
    actors = {e.actor for e in state.history.get(case.ref, [])}
    checks = [
        not text
        or text.upper() in (case.subject.uscc, case.ref)
        or case.ref.startswith(text.upper())
        or text in case.subject.name
        or text in str(case.data.get("complainant") or ""),
        q.procedure in (None, case.procedure),
        q.state in (None, case.state),
        q.unit in (None, case.unit),
        q.inspector is None or q.inspector in case.assignees,
        not q.open_only or case.closed_at is None,
        not q.overdue_only or case.overdue,
        q.scope is None or q.scope.allows(case, actors),
        q.in_states is None or (case.procedure, case.state) in q.in_states,
        q.opened_from is None or case.opened_at.astimezone(LOCAL_TZ).date() >= q.opened_from,
        q.opened_to is None or case.opened_at.astimezone(LOCAL_TZ).date() <= q.opened_to,
    ]
    return all(checks)


class FakeUsers(ports.UserRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def add(self, user: User) -> None:
        self.s.users[user.name] = user

    def get(self, name: str) -> User | None:
        return self.s.users.get(name)

    def list(self) -> list[User]:
        return list(self.s.users.values())

    def update(self, user: User) -> None:
        self.s.users[user.name] = user

    def credentials(self, name: str) -> Credentials | None:
        if name not in self.s.users:
            return None
        return self.s.credentials.get(name, Credentials(name, "", False, 0, None))

    def set_password(self, name: str, password_hash: str, must_change: bool, at: datetime) -> None:
        self.s.credentials[name] = Credentials(name, password_hash, must_change, 0, None)

    def record_failures(self, name: str, failures: int, locked_until: datetime | None) -> None:
        found = self.credentials(name)
        assert found is not None
        self.s.credentials[name] = replace(found, failed_logins=failures, locked_until=locked_until)


class FakeSessions(ports.SessionRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def add(self, session: SessionRecord) -> None:
        self.s.sessions[session.token_hash] = session

    def get(self, token_hash: str) -> SessionRecord | None:
        return self.s.sessions.get(token_hash)

    def touch(self, token_hash: str, at: datetime) -> None:
        self.s.sessions[token_hash] = replace(self.s.sessions[token_hash], last_seen_at=at)

    def end(self, token_hash: str, at: datetime) -> None:
        found = self.s.sessions.get(token_hash)
        if found is not None and found.ended_at is None:
            self.s.sessions[token_hash] = replace(found, ended_at=at)

    def end_all(self, user: str, at: datetime) -> int:
        mine = [t for t, s in self.s.sessions.items() if s.user == user and s.ended_at is None]
        for token in mine:
            self.end(token, at)
        return len(mine)


class FakeAudit(ports.AuditRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def add(self, entry: AuditEntry) -> None:
        self.s.audit.append(replace(entry, id=self.s.next_id("audit")))

    def list(self, kind: str | None, page: int, per_page: int) -> Page[AuditEntry]:
        found = [e for e in reversed(self.s.audit) if kind in (None, str(e.kind))]
        return paginate(found, page, per_page)


class FakeTimers(ports.TimerRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def _case_by_id(self, case_id: int | None) -> Case:
        return next(c for c in self.s.cases.values() if c.id == case_id)

    def start(self, case: Case, timer: TimerRequest, remind_at: datetime | None = None) -> None:
        timer_id = self.s.next_id("timer")
        self.s.timers[timer_id] = StoredTimer(
            id=timer_id,
            case_ref=case.ref,
            name=timer.name,
            label=timer.label,
            state=timer.state,
            on_expiry=timer.on_expiry,
            basis=timer.basis,
            period_amount=timer.period.amount,
            period_unit=str(timer.period.unit),
            started_at=timer.started_at,
            due_at=timer.deadline.ends_at,
            last_day=timer.deadline.last_day.isoformat(),
            provisional=timer.deadline.provisional,
            status=TimerStatus.PENDING,
            reminders=list(timer.reminders),
            remind_at=remind_at,
            case_id=case.id,
        )

    def _update(self, timer_id: int, **changes: Any) -> None:
        self.s.timers[timer_id] = replace(self.s.timers[timer_id], **changes)

    def cancel_for_state(self, case: Case, state: str, at: datetime) -> int:
        hits = [
            t
            for t in self.s.timers.values()
            if t.case_ref == case.ref
            and t.state == state
            and t.status in (TimerStatus.PENDING, TimerStatus.EXPIRED)
        ]
        for t in hits:
            ended = (
                TimerStatus.CANCELLED if t.status is TimerStatus.PENDING else TimerStatus.ENDED_LATE
            )
            self._update(t.id, status=ended)
        return len(hits)

    def for_case(self, ref: str, pending_only: bool = True) -> list[StoredTimer]:
        found = [
            t
            for t in self.s.timers.values()
            if t.case_ref == ref and (not pending_only or t.status is TimerStatus.PENDING)
        ]
        return sorted(found, key=lambda t: t.due_at)

    def update_running(
        self,
        timer_id: int,
        *,
        pauses: list[dict[str, Any]],
        extensions: list[dict[str, Any]],
        paused: bool,
        deadline: Deadline,
        remind_at: datetime | None,
    ) -> None:
        self._update(
            timer_id,
            pauses=pauses,
            extensions=extensions,
            paused=paused,
            due_at=deadline.ends_at,
            last_day=deadline.last_day.isoformat(),
            provisional=deadline.provisional,
            remind_at=remind_at,
        )

    def _running(self) -> list[StoredTimer]:
        return [
            t for t in self.s.timers.values() if t.status is TimerStatus.PENDING and not t.paused
        ]

    def claim_due(
        self, now: datetime, limit: int = 1, after: tuple[datetime, int] | None = None
    ) -> list[StoredTimer]:
        due = sorted(
            (
                t
                for t in self._running()
                if t.due_at <= now and (after is None or (t.due_at, t.id) > after)
            ),
            key=lambda t: (t.due_at, t.id),
        )
        return due[:limit]

    def claim_reminders(
        self,
        now: datetime,
        limit: int = 1,
        after: tuple[datetime, int] | None = None,
        due: datetime | None = None,
    ) -> list[StoredTimer]:
        to_remind = [
            t
            for t in self._running()
            if t.remind_at is not None
            and t.remind_at <= now
            and (after is None or (t.remind_at, t.id) > after)
        ]
        # The bound SQLite reads up to (db/timers.py): no timer due later has one due.
        assert due is None or all(t.due_at <= due for t in to_remind), due
        return sorted(to_remind, key=lambda t: (t.remind_at or now, t.id))[:limit]

    def recheck(
        self, timer_ids: Sequence[int], now: datetime, reminders: bool = False
    ) -> dict[int, StoredTimer]:
        fresh = {}
        for t in self._running():
            at = t.remind_at if reminders else t.due_at
            if t.id in timer_ids and at is not None and at <= now:
                fresh[t.id] = t
        return fresh

    def claim_one(self, timer_id: int) -> StoredTimer | None:
        timer = self.s.timers.get(timer_id)
        return timer if timer is not None and timer.status is TimerStatus.PENDING else None

    def close(self, timer_id: int, status: TimerStatus, at: datetime) -> None:
        if self.s.timers[timer_id].status is TimerStatus.PENDING:
            self._update(timer_id, status=status, remind_at=None)

    def reminder_sent(self, timer_id: int, sent: list[int], remind_at: datetime | None) -> None:
        self._update(timer_id, reminders_sent=sent, remind_at=remind_at)

    def open_deadlines(self, query: BoardQuery, now: datetime) -> Page[BoardEntry]:
        cases = CaseQuery(
            procedure=query.procedure,
            unit=query.unit,
            inspector=query.inspector,
            scope=query.scope,
        )
        entries = []
        for t in self.s.timers.values():
            case = self.s.cases[t.case_ref]
            if t.status not in (TimerStatus.PENDING, TimerStatus.EXPIRED):
                continue
            if not matches(case, cases, self.s):
                continue
            if query.case and t.case_ref != query.case:
                continue
            if query.due_from and t.last_day < query.due_from.isoformat():
                continue
            if query.due_to and t.last_day > query.due_to.isoformat():
                continue
            if query.due_within_days is not None and t.due_at > now + timedelta(
                days=query.due_within_days
            ):
                continue
            entries.append(BoardEntry(t, summary(case)))

        def order(e: BoardEntry) -> tuple[int, datetime, int]:
            group = 0 if e.timer.due_at <= now else (2 if e.timer.paused else 1)
            return group, e.timer.due_at, e.timer.id

        return paginate(sorted(entries, key=order), query.page, query.per_page)

    def provisional_pending(self) -> list[StoredTimer]:
        found = [
            t for t in self.s.timers.values() if t.status is TimerStatus.PENDING and t.provisional
        ]
        return sorted(found, key=lambda t: t.id)


class FakeNotifications(ports.NotificationRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def add(
        self,
        *,
        recipients: Sequence[str],
        kind: str,
        subject: str,
        body: str,
        at: datetime,
        case_id: int | None = None,
    ) -> None:
        for r in dict.fromkeys(recipients):
            nid = self.s.next_id("notification")
            self.s.notifications.append(
                Notification(nid, case_id, r, kind, subject, body, at, None)
            )

    def recent(self, recipient: str, limit: int) -> list[Notification]:
        mine = [n for n in self.s.notifications if n.recipient == recipient]
        return list(reversed(mine))[:limit]

    def list(
        self, recipient: str | None = None, kind: str | None = None, since: datetime | None = None
    ) -> list[Notification]:
        return [
            n
            for n in self.s.notifications
            if recipient in (None, n.recipient)
            and kind in (None, n.kind)
            and (since is None or n.created_at >= since)
        ]


class FakeDocuments(ports.DocumentRepository):
    def __init__(self, state: State) -> None:
        self.s = state

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
    ) -> int:
        doc_id = self.s.next_id("document")
        self.s.documents[doc_id] = IssuedDocument(
            doc_id, case.ref, kind, title, number, template, dict(data), html, sha256,
            issued_at, issued_by,
        )  # fmt: skip
        return doc_id

    def for_case(self, ref: str) -> list[IssuedDocument]:
        return [d for d in self.s.documents.values() if d.case_ref == ref]

    def get(self, doc_id: int) -> IssuedDocument | None:
        return self.s.documents.get(doc_id)


class FakeFiles(DocumentFileRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def get(self, document_id: int, fmt: DocumentFormat) -> StoredFile | None:
        return self.s.files.get((document_id, fmt))

    def add(self, info: FileInfo, content: bytes) -> bool:
        key = (info.document_id, info.format)
        if key in self.s.files:
            return False
        self.s.files[key] = StoredFile(info, content)
        return True

    def infos(self, document_ids: list[int]) -> dict[int, list[FileInfo]]:
        out: dict[int, list[FileInfo]] = {}
        for (doc_id, _), stored in sorted(self.s.files.items()):
            if doc_id in document_ids:
                out.setdefault(doc_id, []).append(stored.info)
        return out

    def pending(self, fmt: DocumentFormat, limit: int) -> list[int]:
        return [d for d in sorted(self.s.documents) if (d, fmt) not in self.s.files][:limit]

    def claim(self, document_id: int, fmt: DocumentFormat) -> bool:
        return document_id in self.s.documents and (document_id, fmt) not in self.s.files


class FakeAttachments(ports.AttachmentRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def add(self, case: Case, name: str, content: bytes, sha256: str, at: datetime, by: str) -> int:
        att_id = self.s.next_id("attachment")
        stored = StoredAttachment(att_id, case.ref, name, sha256, len(content), at, by)
        self.s.attachments[att_id] = (stored, content)
        return att_id

    def for_case(self, ref: str) -> list[StoredAttachment]:
        return [a for a, _ in self.s.attachments.values() if a.case_ref == ref]

    def content(self, attachment_id: int) -> bytes | None:
        found = self.s.attachments.get(attachment_id)
        return found[1] if found else None

    def get(self, attachment_id: int) -> StoredAttachment | None:
        found = self.s.attachments.get(attachment_id)
        return found[0] if found else None


class FakeCounters(ports.CounterRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def next(self, series: str, year: int) -> int:
        value = self.s.counters.get((series, year), 0) + 1
        self.s.counters[(series, year)] = value
        return value


class FakeCalendars(ports.CalendarRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def imported(self) -> dict[int, YearArrangement]:
        return dict(self.s.calendars)

    def save(self, arrangement: YearArrangement, at: datetime, by: str) -> bool:
        existed = arrangement.year in self.s.calendars
        self.s.calendars[arrangement.year] = arrangement
        return existed


class FakeDepartmentNames(ports.DepartmentNameRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def all(self, county_id: str) -> dict[str, str]:
        return {k: v for (c, k), v in self.s.department_names.items() if c == county_id}

    def set(self, county_id: str, department: str, name: str, at: datetime, by: str) -> None:
        self.s.department_names[(county_id, department)] = name

    def clear(self, county_id: str, department: str) -> bool:
        return self.s.department_names.pop((county_id, department), None) is not None


class FakeTokens(api_ports.ApiTokenRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def add(
        self, *, user: str, label: str, token_hash: str, prefix: str, at: datetime, by: str
    ) -> int:
        token_id = self.s.next_id("token")
        self.s.tokens[token_id] = (ApiToken(token_id, user, label, prefix, at, by), token_hash)
        return token_id

    def by_hash(self, token_hash: str) -> ApiToken | None:
        return next((t for t, h in self.s.tokens.values() if h == token_hash), None)

    def get(self, token_id: int) -> ApiToken | None:
        found = self.s.tokens.get(token_id)
        return found[0] if found else None

    def list(self, user: str | None = None) -> list[ApiToken]:
        return [t for t, _ in self.s.tokens.values() if user is None or t.user == user]

    def _change(self, token_id: int, **changes: Any) -> None:
        token, hashed = self.s.tokens[token_id]
        self.s.tokens[token_id] = (replace(token, **changes), hashed)

    def revoke(self, token_id: int, at: datetime) -> None:
        self._change(token_id, revoked_at=at)

    def touch(self, token_id: int, at: datetime) -> None:
        self._change(token_id, last_used_at=at)


class FakeIdempotency(api_ports.IdempotencyRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def reserve(self, user: str, key: str, fingerprint: str, at: datetime) -> bool:
        if (user, key) in self.s.idempotency:
            return False
        self.s.idempotency[user, key] = IdempotencyRecord(user, key, fingerprint, at)
        return True

    def get(self, user: str, key: str) -> IdempotencyRecord | None:
        return self.s.idempotency.get((user, key))

    def complete(self, user: str, key: str, status: int, response: dict[str, Any]) -> None:
        found = self.s.idempotency[user, key]
        self.s.idempotency[user, key] = replace(found, status=status, response=dict(response))

    def release(self, user: str, key: str) -> None:
        self.s.idempotency.pop((user, key), None)


class FakeDeliveries(DeliveryRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def unplanned(self, limit: int) -> list[Notification]:
        return [n for n in self.s.notifications if n.id not in self.s.planned][:limit]

    def plan(
        self, notification_id: int, deliveries: list[tuple[str, str, str]], at: datetime
    ) -> None:
        for channel, address, key in deliveries:
            i = self.s.next_id("delivery")
            self.s.deliveries[i] = Delivery(
                i, notification_id, channel, address, key, DeliveryStatus.PENDING, 0, at
            )
        self.s.planned.add(notification_id)

    def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
        waiting = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
        due = [d for d in self.s.deliveries.values() if d.status in waiting]
        due = sorted((d for d in due if d.next_attempt_at <= now), key=lambda d: d.id)[:limit]
        for d in due:
            self.s.deliveries[d.id] = replace(
                d,
                status=DeliveryStatus.SENDING,
                next_attempt_at=lease_until,
                attempts=d.attempts + 1,
            )
        return [self.s.deliveries[d.id] for d in due]

    def sent(self, delivery_id: int, at: datetime) -> None:
        d = self.s.deliveries[delivery_id]
        self.s.deliveries[delivery_id] = replace(d, status=DeliveryStatus.SENT, sent_at=at)
        self.s.notifications = [
            replace(n, delivered_at=n.delivered_at or at) if n.id == d.notification_id else n
            for n in self.s.notifications
        ]

    def failed(self, delivery_id: int, error: str, retry_at: datetime | None, at: datetime) -> None:
        status = DeliveryStatus.PENDING if retry_at is not None else DeliveryStatus.DEAD
        self.s.deliveries[delivery_id] = replace(
            self.s.deliveries[delivery_id],
            status=status,
            last_error=error,
            next_attempt_at=retry_at or at,
        )

    def notification(self, notification_id: int) -> Notification | None:
        return next((n for n in self.s.notifications if n.id == notification_id), None)

    def list(self, status: DeliveryStatus | None, limit: int) -> list[Delivery]:
        found = [d for d in self.s.deliveries.values() if status in (None, d.status)]
        return sorted(found, key=lambda d: -d.id)[:limit]

    def retry(self, delivery_id: int, at: datetime) -> bool:
        d = self.s.deliveries.get(delivery_id)
        if d is None or d.status is not DeliveryStatus.DEAD:
            return False
        self.s.deliveries[delivery_id] = replace(
            d, status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=at
        )
        return True


class FakeUserLog(ports.UserLogRepository):
    def __init__(self, state: State) -> None:
        self.s = state

    def append(self, entry: UserLogEntry) -> UserLogEntry:
        head = self.s.user_log[-1] if self.s.user_log else None
        seq, prev = (head.seq + 1, head.hash) if head else (1, entry.prev_hash)
        stored = replace(entry, seq=seq, prev_hash=prev).sealed()
        self.s.user_log.append(stored)
        return stored

    def entries(self) -> Iterator[UserLogEntry]:
        yield from self.s.user_log


class FakeIntegrity(ports.IntegrityReader):
    def __init__(self, state: State) -> None:
        self.s = state

    def case_batches(self, size: int) -> Iterator[list[ports.CaseRecord]]:
        cases = sorted(self.s.cases.values(), key=lambda c: c.id or 0)
        for start in range(0, len(cases), size):
            yield [self._record(c) for c in cases[start : start + size]]

    def _record(self, case: Case) -> ports.CaseRecord:
        ref = case.ref
        return ports.CaseRecord(
            case=case,
            events=list(self.s.history.get(ref, [])),
            documents=[d for _, d in sorted(self.s.documents.items()) if d.case_ref == ref],
            attachments=[
                (a, hashlib.sha256(content).hexdigest(), len(content))
                for _, (a, content) in sorted(self.s.attachments.items())
                if a.case_ref == ref
            ],
            timers=[t for _, t in sorted(self.s.timers.items()) if t.case_ref == ref],
        )

    def heads(self) -> Iterator[tuple[str, int, str]]:
        for ref in sorted(self.s.cases):
            yield ref, self.s.cases[ref].last_seq, self.s.cases[ref].last_hash

    def users(self) -> list[tuple[User, str]]:
        return [
            (u, self.s.credentials[u.name].password_hash if u.name in self.s.credentials else "")
            for u in self.s.users.values()
        ]


class FakeUnitOfWork(ports.AbstractUnitOfWork):
    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.committed = False

    def __enter__(self) -> FakeUnitOfWork:
        self.state = copy.deepcopy(self.store.state)
        s = self.state
        self.cases = FakeCases(s, lambda: self.store.state)
        self.users = FakeUsers(s)
        self.timers = FakeTimers(s)
        self.documents = FakeDocuments(s)
        self.files = FakeFiles(s)
        self.attachments = FakeAttachments(s)
        self.counters = FakeCounters(s)
        self.calendars = FakeCalendars(s)
        self.department_names = FakeDepartmentNames(s)
        self.notifications = FakeNotifications(s)
        self.sessions = FakeSessions(s)
        self.audit = FakeAudit(s)
        self.tokens = FakeTokens(s)
        self.idempotency = FakeIdempotency(s)
        self.deliveries = FakeDeliveries(s)
        self.user_log = FakeUserLog(s)
        self.integrity = FakeIntegrity(s)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        saved = copy.deepcopy(self.state)
        try:
            yield
        except BaseException:
            self.state.__dict__.update(saved.__dict__)  # the repositories share this object
            raise

    def commit(self) -> None:
        self.store.state = self.state
        self.store.commits += 1
        self.committed = True

    def rollback(self) -> None:
        pass  # the working copy is simply dropped


class FakeStore:
    """The committed state, and the factory of units of work on it."""

    def __init__(self) -> None:
        self.state = State()
        self.commits = 0

    def __call__(self, *, readonly: bool = False) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)


class PlainHasher:
    """A password "hasher" for tests: fast, and never to be used outside them."""

    def hash(self, password: str) -> str:
        return "plain$" + password

    def verify(self, password: str, password_hash: str) -> bool:
        return bool(password_hash) and password_hash == "plain$" + password
