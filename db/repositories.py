"""SQL repositories: the one place that maps domain objects to rows and back."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError

from db.tables import (
    AttachmentRow,
    CalendarYearRow,
    CaseRow,
    CounterRow,
    DocumentRow,
    HistoryRow,
    UserRow,
)
from engine.deadlines import YearArrangement
from engine.domain.case import Case, Subject
from engine.domain.errors import CaseNotFound, VersionConflict
from engine.domain.history import EventKind, HistoryEvent
from engine.domain.roles import Role
from engine.domain.users import User
from engine.service import ports

cases_t = CaseRow.__table__  # type: ignore[attr-defined]
history_t = HistoryRow.__table__  # type: ignore[attr-defined]
users_t = UserRow.__table__  # type: ignore[attr-defined]
documents_t = DocumentRow.__table__  # type: ignore[attr-defined]
attachments_t = AttachmentRow.__table__  # type: ignore[attr-defined]
counters_t = CounterRow.__table__  # type: ignore[attr-defined]
calendar_t = CalendarYearRow.__table__  # type: ignore[attr-defined]


# Statements on the command path are built once, with bind parameters: SQLAlchemy then
# reuses their cache key and compiled form instead of rebuilding them for every command.
_CASE_BY_REF = sa.select(cases_t).where(cases_t.c.ref == sa.bindparam("b_ref"))
_CASE_BY_REF_LOCKED = _CASE_BY_REF.with_for_update()
_SAVE_CASE = (
    sa.update(cases_t)
    .where(cases_t.c.id == sa.bindparam("b_id"), cases_t.c.version == sa.bindparam("b_expected"))
    .values(
        version=sa.bindparam("b_version"),
        state=sa.bindparam("b_state"),
        data=sa.bindparam("b_data", type_=cases_t.c.data.type),
        assignees=sa.bindparam("b_assignees", type_=cases_t.c.assignees.type),
        last_seq=sa.bindparam("b_last_seq"),
        last_hash=sa.bindparam("b_last_hash"),
        closed_at=sa.bindparam("b_closed_at", type_=cases_t.c.closed_at.type),
        overdue=sa.bindparam("b_overdue"),
    )
)
_INSERT_HISTORY = sa.insert(history_t)
_INSERT_CASE = sa.insert(cases_t).returning(cases_t.c.id)
_INSERT_DOCUMENT = sa.insert(documents_t).returning(documents_t.c.id)
_USER_BY_NAME = sa.select(users_t).where(users_t.c.name == sa.bindparam("b_name"))


def case_from_row(row: RowMapping) -> Case:
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


def _case_values(case: Case) -> dict[str, Any]:
    return {
        "state": case.state,
        "data": case.data,
        "assignees": case.assignees,
        "last_seq": case.last_seq,
        "last_hash": case.last_hash,
        "closed_at": case.closed_at,
        "overdue": case.overdue,
    }


def _event_values(case_id: int, ev: HistoryEvent) -> dict[str, Any]:
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
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def add(self, case: Case) -> None:
        values = {
            "ref": case.ref,
            "procedure": case.procedure,
            "procedure_version": case.procedure_version,
            "version": 1,
            "subject_name": case.subject.name,
            "subject_address": case.subject.address,
            "subject_uscc": case.subject.uscc,
            "source": case.source,
            "unit": case.unit,
            "matter": case.matter,
            "opened_by": case.opened_by,
            "opened_at": case.opened_at,
            **_case_values(case),
        }
        case.id = self.conn.execute(_INSERT_CASE, values).scalar_one()
        case.version = 1
        self._append_events(case)

    def get(self, ref: str, *, lock: bool = False) -> Case:
        q = _CASE_BY_REF_LOCKED if lock and self.conn.dialect.name == "postgresql" else _CASE_BY_REF
        row = self.conn.execute(q, {"b_ref": ref}).mappings().first()
        if row is None:
            raise CaseNotFound(ref)
        return case_from_row(row)

    def save(self, case: Case, expected_version: int) -> None:
        assert case.id is not None
        result = self.conn.execute(
            _SAVE_CASE,
            {
                "b_id": case.id,
                "b_expected": expected_version,
                "b_version": expected_version + 1,
                **{f"b_{k}": v for k, v in _case_values(case).items()},
            },
        )
        if result.rowcount != 1:
            raise VersionConflict(case.ref, expected_version)
        case.version = expected_version + 1
        self._append_events(case)

    def _append_events(self, case: Case) -> None:
        if not case.new_events:
            return
        assert case.id is not None
        try:
            self.conn.execute(
                _INSERT_HISTORY, [_event_values(case.id, ev) for ev in case.new_events]
            )
        except IntegrityError as exc:  # a concurrent writer took the same sequence number
            raise VersionConflict(case.ref, case.version - 1) from exc

    def history(self, ref: str) -> list[HistoryEvent]:
        rows = self.conn.execute(
            sa.select(history_t, cases_t.c.ref)
            .join(cases_t, cases_t.c.id == history_t.c.case_id)
            .where(cases_t.c.ref == ref)
            .order_by(history_t.c.seq)
        ).mappings()
        return [
            HistoryEvent(
                case_ref=r["ref"],
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
            for r in rows
        ]

    def list(self, flt: ports.CaseFilter) -> list[ports.CaseSummary]:
        q = sa.select(cases_t).order_by(cases_t.c.opened_at.desc(), cases_t.c.id.desc())
        if flt.procedure:
            q = q.where(cases_t.c.procedure == flt.procedure)
        if flt.state:
            q = q.where(cases_t.c.state == flt.state)
        if flt.unit:
            q = q.where(cases_t.c.unit == flt.unit)
        if flt.open_only:
            q = q.where(cases_t.c.closed_at.is_(None))
        rows = self.conn.execute(q).mappings().all()
        out = []
        for r in rows:
            if flt.inspector and flt.inspector not in (r["assignees"] or []):
                continue
            out.append(
                ports.CaseSummary(
                    ref=r["ref"],
                    procedure=r["procedure"],
                    procedure_version=r["procedure_version"],
                    state=r["state"],
                    subject_name=r["subject_name"],
                    unit=r["unit"],
                    assignees=list(r["assignees"] or []),
                    opened_at=r["opened_at"],
                    closed_at=r["closed_at"],
                    version=r["version"],
                    overdue=r["overdue"],
                )
            )
            if len(out) >= flt.limit:
                break
        return out

    def refs_with_history(self) -> Iterator[str]:
        yield from self.conn.execute(sa.select(cases_t.c.ref).order_by(cases_t.c.id)).scalars()


class SqlUserRepository(ports.UserRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def add(self, user: User) -> None:
        self.conn.execute(
            sa.insert(users_t).values(
                name=user.name,
                role=str(user.role),
                unit=user.unit,
                display_name=user.display_name,
                active=user.active,
            )
        )

    def get(self, name: str) -> User | None:
        r = self.conn.execute(_USER_BY_NAME, {"b_name": name}).mappings().first()
        return _user(r) if r else None

    def list(self) -> list[User]:
        return [
            _user(r)
            for r in self.conn.execute(sa.select(users_t).order_by(users_t.c.id)).mappings()
        ]


def _user(r: RowMapping) -> User:
    return User(r["name"], Role(r["role"]), r["unit"], r["display_name"], r["active"])


class SqlDocumentRepository(ports.DocumentRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

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
        values = {
            "case_id": case.id,
            "kind": kind,
            "title": title,
            "number": number,
            "template": template,
            "data": dict(data),
            "html": html,
            "sha256": sha256,
            "issued_at": issued_at,
            "issued_by": issued_by,
        }
        return int(self.conn.execute(_INSERT_DOCUMENT, values).scalar_one())

    def _select(self) -> sa.Select[Any]:
        return sa.select(documents_t, cases_t.c.ref).join(
            cases_t, cases_t.c.id == documents_t.c.case_id
        )

    def for_case(self, ref: str) -> list[ports.IssuedDocument]:
        rows = self.conn.execute(
            self._select().where(cases_t.c.ref == ref).order_by(documents_t.c.id)
        ).mappings()
        return [_document(r) for r in rows]

    def get(self, doc_id: int) -> ports.IssuedDocument | None:
        r = self.conn.execute(self._select().where(documents_t.c.id == doc_id)).mappings().first()
        return _document(r) if r else None


def _document(r: RowMapping) -> ports.IssuedDocument:
    return ports.IssuedDocument(
        id=r["id"],
        case_ref=r["ref"],
        kind=r["kind"],
        title=r["title"],
        number=r["number"],
        template=r["template"],
        data=dict(r["data"]),
        html=r["html"],
        sha256=r["sha256"],
        issued_at=r["issued_at"],
        issued_by=r["issued_by"],
    )


class SqlAttachmentRepository(ports.AttachmentRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def add(self, case: Case, name: str, content: bytes, sha256: str, at: datetime, by: str) -> int:
        return int(
            self.conn.execute(
                sa.insert(attachments_t)
                .values(
                    case_id=case.id,
                    name=name,
                    sha256=sha256,
                    size=len(content),
                    content=content,
                    added_at=at,
                    added_by=by,
                )
                .returning(attachments_t.c.id)
            ).scalar_one()
        )

    def for_case(self, ref: str) -> list[ports.StoredAttachment]:
        q = (
            sa.select(
                attachments_t.c.id,
                attachments_t.c.name,
                attachments_t.c.sha256,
                attachments_t.c.size,
                attachments_t.c.added_at,
                attachments_t.c.added_by,
            )
            .join(cases_t, cases_t.c.id == attachments_t.c.case_id)
            .where(cases_t.c.ref == ref)
            .order_by(attachments_t.c.id)
        )
        return [
            ports.StoredAttachment(
                r["id"], ref, r["name"], r["sha256"], r["size"], r["added_at"], r["added_by"]
            )
            for r in self.conn.execute(q).mappings()
        ]

    def content(self, attachment_id: int) -> bytes | None:
        value = self.conn.execute(
            sa.select(attachments_t.c.content).where(attachments_t.c.id == attachment_id)
        ).scalar_one_or_none()
        return bytes(value) if value is not None else None


class SqlCounterRepository(ports.CounterRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def next(self, series: str, year: int) -> int:
        upsert = _COUNTER_UPSERT[self.conn.dialect.name]
        return int(self.conn.execute(upsert, {"series": series, "year": year}).scalar_one())


def _counter_upsert(insert: Any) -> Any:
    return (
        insert(counters_t)
        .values(series=sa.bindparam("series"), year=sa.bindparam("year"), value=1)
        .on_conflict_do_update(
            index_elements=[counters_t.c.series, counters_t.c.year],
            set_={"value": counters_t.c.value + 1},
        )
        .returning(counters_t.c.value)
    )


_COUNTER_UPSERT = {
    "postgresql": _counter_upsert(postgresql.insert),
    "sqlite": _counter_upsert(sqlite.insert),
}


class SqlCalendarRepository(ports.CalendarRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def save(self, arrangement: YearArrangement, at: datetime, by: str) -> bool:
        data = {
            "holidays": {d.isoformat(): name for d, name in sorted(arrangement.holidays.items())},
            "makeup_workdays": sorted(d.isoformat() for d in arrangement.makeup_workdays),
        }
        existed = self.conn.execute(
            sa.delete(calendar_t).where(calendar_t.c.year == arrangement.year)
        ).rowcount
        self.conn.execute(
            sa.insert(calendar_t).values(
                year=arrangement.year,
                source=arrangement.source,
                data=data,
                imported_at=at,
                imported_by=by,
            )
        )
        return bool(existed)

    def imported(self) -> dict[int, YearArrangement]:
        out: dict[int, YearArrangement] = {}
        for r in self.conn.execute(sa.select(calendar_t)).mappings():
            data = r["data"]
            out[r["year"]] = YearArrangement(
                year=r["year"],
                holidays={date.fromisoformat(k): v for k, v in data["holidays"].items()},
                makeup_workdays=frozenset(date.fromisoformat(d) for d in data["makeup_workdays"]),
                source=r["source"],
                provisional=False,
            )
        return out
