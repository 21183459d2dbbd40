"""SQL repositories of documents, attachments, counters and calendars (cases: `db/cases.py`;
timers and notifications: `db/timers.py`; users, sessions and the audit log: `db/users.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping

from db import document_ids
from db.fast import Prepared
from db.tables import (
    AttachmentRow,
    CalendarYearRow,
    CaseRow,
    CounterRow,
    DepartmentNameRow,
    DocumentRow,
)
from engine.deadlines import YearArrangement
from engine.domain.case import Case
from engine.service import ports
from engine.service.read_models import IssuedDocument, StoredAttachment

cases_t = CaseRow.__table__  # type: ignore[attr-defined]
documents_t = DocumentRow.__table__  # type: ignore[attr-defined]
attachments_t = AttachmentRow.__table__  # type: ignore[attr-defined]
counters_t = CounterRow.__table__  # type: ignore[attr-defined]
calendar_t = CalendarYearRow.__table__  # type: ignore[attr-defined]
department_names_t = DepartmentNameRow.__table__  # type: ignore[attr-defined]


_DOCUMENT_KEYS = (
    "case_id",
    "kind",
    "title",
    "number",
    "template",
    "data",
    "html",
    "sha256",
    "issued_at",
    "issued_by",
)
_INSERT_DOCUMENT = {
    "postgresql": Prepared(sa.insert(documents_t).returning(documents_t.c.id), keys=_DOCUMENT_KEYS),
    # SQLite: the id is the case's next (db/document_ids.py); b_case binds its case_id again
    "sqlite": Prepared(
        sa.insert(documents_t)
        .values(id=document_ids.next_id(sa.bindparam("b_case", type_=sa.Integer)))
        .returning(documents_t.c.id),
        keys=_DOCUMENT_KEYS,
    ),
}


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
        sqlite = self.conn.dialect.name == "sqlite"
        insert = _INSERT_DOCUMENT["sqlite" if sqlite else "postgresql"]
        return int(insert.scalar(self.conn, {**values, "b_case": case.id}))

    def _select(self) -> sa.Select[Any]:
        return sa.select(documents_t, cases_t.c.ref).join(
            cases_t, cases_t.c.id == documents_t.c.case_id
        )

    def for_case(self, ref: str) -> list[IssuedDocument]:
        """The case's documents in the order they were issued (on SQLite its rowid range
        and its serial documents, db/document_ids.py)."""
        of_case = document_ids.of_case(cases_t.c.id, self.conn.dialect.name)
        rows = self.conn.execute(
            self._select().where(cases_t.c.ref == ref, of_case).order_by(documents_t.c.id)
        ).mappings()
        return [_document(r) for r in rows]

    def get(self, doc_id: int) -> IssuedDocument | None:
        r = self.conn.execute(self._select().where(documents_t.c.id == doc_id)).mappings().first()
        return _document(r) if r else None


def _document(r: RowMapping) -> IssuedDocument:
    return IssuedDocument(
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

    def for_case(self, ref: str) -> list[StoredAttachment]:
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
            StoredAttachment(
                r["id"], ref, r["name"], r["sha256"], r["size"], r["added_at"], r["added_by"]
            )
            for r in self.conn.execute(q).mappings()
        ]

    def content(self, attachment_id: int) -> bytes | None:
        value = self.conn.execute(
            sa.select(attachments_t.c.content).where(attachments_t.c.id == attachment_id)
        ).scalar_one_or_none()
        return bytes(value) if value is not None else None

    def get(self, attachment_id: int) -> StoredAttachment | None:
        q = (
            sa.select(
                attachments_t.c.id,
                cases_t.c.ref,
                attachments_t.c.name,
                attachments_t.c.sha256,
                attachments_t.c.size,
                attachments_t.c.added_at,
                attachments_t.c.added_by,
            )
            .join(cases_t, cases_t.c.id == attachments_t.c.case_id)
            .where(attachments_t.c.id == attachment_id)
        )
        r = self.conn.execute(q).first()
        return StoredAttachment(*r) if r is not None else None


class SqlCounterRepository(ports.CounterRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def next(self, series: str, year: int) -> int:
        upsert = _COUNTER_UPSERT[self.conn.dialect.name]
        return int(upsert.scalar(self.conn, {"series": series, "year": year}))


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
    "postgresql": Prepared(_counter_upsert(postgresql.insert)),
    "sqlite": Prepared(_counter_upsert(sqlite.insert)),
}


class SqlDepartmentNameRepository(ports.DepartmentNameRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def all(self, county_id: str) -> dict[str, str]:
        rows = self.conn.execute(
            sa.select(department_names_t.c.department, department_names_t.c.name).where(
                department_names_t.c.county_id == county_id
            )
        )
        return {r.department: r.name for r in rows}

    def set(self, county_id: str, department: str, name: str, at: datetime, by: str) -> None:
        self.clear(county_id, department)
        self.conn.execute(
            sa.insert(department_names_t).values(
                county_id=county_id, department=department, name=name, updated_at=at, updated_by=by
            )
        )

    def clear(self, county_id: str, department: str) -> bool:
        t = department_names_t
        result = self.conn.execute(
            sa.delete(t).where(t.c.county_id == county_id, t.c.department == department)
        )
        return bool(result.rowcount)


class SqlCalendarRepository(ports.CalendarRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def save(self, arrangement: YearArrangement, at: datetime, by: str) -> bool:
        data = {
            "holidays": {d.isoformat(): name for d, name in sorted(arrangement.holidays.items())},
            "makeup_workdays": sorted(d.isoformat() for d in arrangement.makeup_workdays),
            # A year the file itself marks provisional stays provisional (暂定) once stored.
            "provisional": arrangement.provisional,
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
                provisional=bool(data.get("provisional", False)),
            )
        return out
