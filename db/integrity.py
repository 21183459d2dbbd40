"""The SQL side of `caseflow verify`: every case with its history, documents, attachments
(their bytes hashed as they stream by) and timers, read in batches of consecutive case ids
so memory stays bounded at any number of cases; and the hash-chained user-administration
log."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from db import document_ids, timer_ids
from db.case_entries import EntryStore, count_of
from db.cases import case_from_row, cases_t, event_from_row, history_t
from db.event_ids import in_key_order, of_cases_between
from db.repositories import attachments_t, documents_t
from db.tables import UserLogRow
from db.timer_rows import timer_from_row
from db.timers import timers_t
from db.users import users_t
from engine.domain.case import Case
from engine.domain.integrity import UserLogEntry
from engine.domain.roles import Role
from engine.domain.users import User
from engine.service import ports
from engine.service.read_models import IssuedDocument, StoredAttachment

user_log_t: sa.Table = UserLogRow.__table__  # type: ignore[attr-defined]

_ATTACHMENT_COLUMNS = [
    attachments_t.c.id,
    attachments_t.c.case_id,
    attachments_t.c.name,
    attachments_t.c.sha256,
    attachments_t.c.size,
    attachments_t.c.added_at,
    attachments_t.c.added_by,
    attachments_t.c.content,
]


def _between(column: sa.ColumnElement[int], lo: int, hi: int) -> sa.ColumnElement[bool]:
    return sa.and_(column >= lo, column <= hi)


class SqlIntegrityReader(ports.IntegrityReader):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def case_batches(self, size: int) -> Iterator[list[ports.CaseRecord]]:
        after = 0
        while True:
            rows = (
                self.conn.execute(
                    sa.select(cases_t)
                    .where(cases_t.c.id > after)
                    .order_by(cases_t.c.id)
                    .limit(size)
                )
                .mappings()
                .all()
            )
            if not rows:
                return
            lo, hi = rows[0]["id"], rows[-1]["id"]
            refs = {r["id"]: r["ref"] for r in rows}
            yield self._batch(rows, refs, lo, hi)
            after = hi

    def _batch(self, rows: Any, refs: dict[int, str], lo: int, hi: int) -> list[ports.CaseRecord]:
        events: dict[int, list[Any]] = defaultdict(list)
        for r in self.conn.execute(
            sa.select(history_t)
            .where(of_cases_between(lo, hi, self.conn.dialect.name))
            .order_by(*in_key_order(self.conn.dialect.name))
        ).mappings():
            events[r["case_id"]].append(event_from_row(refs[r["case_id"]], r))
        documents: dict[int, list[IssuedDocument]] = defaultdict(list)
        for r in self.conn.execute(
            sa.select(documents_t)
            .where(document_ids.of_cases_between(lo, hi, self.conn.dialect.name))
            .order_by(documents_t.c.id)  # each case's in the order they were issued
        ).mappings():
            documents[r["case_id"]].append(
                IssuedDocument(
                    r["id"],
                    refs[r["case_id"]],
                    r["kind"],
                    r["title"],
                    r["number"],
                    r["template"],
                    dict(r["data"] or {}),
                    r["html"],
                    r["sha256"],
                    r["issued_at"],
                    r["issued_by"],
                )
            )
        attachments = self._attachments(refs, lo, hi)
        entries = EntryStore(self.conn).for_cases(lo, hi)
        timers: dict[int, list[Any]] = defaultdict(list)
        dialect = self.conn.dialect.name
        for r in self.conn.execute(
            sa.select(timers_t, cases_t.c.ref)
            .join(cases_t, cases_t.c.id == timers_t.c.case_id)
            .where(timer_ids.of_cases_between(lo, hi, dialect))
            .order_by(*timer_ids.in_case_order(dialect))
        ).mappings():
            timers[r["case_id"]].append(timer_from_row(r))
        return [
            ports.CaseRecord(
                case=_with_entries(case_from_row(r), entries.get(r["id"], {})),
                events=events.get(r["id"], []),
                documents=documents.get(r["id"], []),
                attachments=attachments.get(r["id"], []),
                timers=timers.get(r["id"], []),
            )
            for r in rows
        ]

    def _attachments(
        self, refs: dict[int, str], lo: int, hi: int
    ) -> dict[int, list[tuple[StoredAttachment, str, int]]]:
        """The attachments of the batch with the SHA-256 and size of their stored bytes,
        hashed as the rows stream by."""
        attachments: dict[int, list[tuple[StoredAttachment, str, int]]] = defaultdict(list)
        for r in (
            self.conn.execution_options(yield_per=50)
            .execute(
                sa.select(*_ATTACHMENT_COLUMNS)
                .where(_between(attachments_t.c.case_id, lo, hi))
                .order_by(attachments_t.c.case_id, attachments_t.c.id)
            )
            .mappings()
        ):
            content = bytes(r["content"] or b"")
            stored = StoredAttachment(
                r["id"],
                refs[r["case_id"]],
                r["name"],
                r["sha256"],
                r["size"],
                r["added_at"],
                r["added_by"],
            )
            attachments[r["case_id"]].append(
                (stored, hashlib.sha256(content).hexdigest(), len(content))
            )
        return attachments

    def heads(self) -> Iterator[tuple[str, int, str]]:
        q = sa.select(cases_t.c.ref, cases_t.c.last_seq, cases_t.c.last_hash).order_by(
            cases_t.c.ref
        )
        rows = self.conn.execution_options(yield_per=5000).execute(q)
        yield from ((ref, seq, digest) for ref, seq, digest in rows)

    def users(self) -> list[tuple[User, str]]:
        rows = self.conn.execute(sa.select(users_t).order_by(users_t.c.id)).mappings()
        return [
            (
                User(r["name"], Role(r["role"]), r["unit"], r["display_name"], r["active"]),
                r["password_hash"] or "",
            )
            for r in rows
        ]


def _entry(r: Any) -> UserLogEntry:
    return UserLogEntry(
        seq=r["seq"],
        at=r["at"],
        actor=r["actor"],
        user_name=r["user_name"],
        action=r["action"],
        role=r["role"],
        unit=r["unit"],
        active=r["active"],
        credential=r["credential"],
        prev_hash=r["prev_hash"],
        hash=r["hash"],
    )


class SqlUserLogRepository(ports.UserLogRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def append(self, entry: UserLogEntry) -> UserLogEntry:
        head = (
            self.conn.execute(
                sa.select(user_log_t.c.seq, user_log_t.c.hash)
                .order_by(user_log_t.c.seq.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        seq, prev = (head["seq"] + 1, head["hash"]) if head else (1, entry.prev_hash)
        # Two administrators appending at once collide on the unique seq: the later
        # transaction fails and writes nothing.
        stored = replace(entry, seq=seq, prev_hash=prev).sealed()
        self.conn.execute(
            sa.insert(user_log_t).values(
                seq=stored.seq,
                at=stored.at,
                actor=stored.actor,
                user_name=stored.user_name,
                action=stored.action,
                role=stored.role,
                unit=stored.unit,
                active=stored.active,
                credential=stored.credential,
                prev_hash=stored.prev_hash,
                hash=stored.hash,
            )
        )
        return stored

    def entries(self) -> Iterator[UserLogEntry]:
        rows = (
            self.conn.execution_options(yield_per=2000)
            .execute(sa.select(user_log_t).order_by(user_log_t.c.seq))
            .mappings()
        )
        for r in rows:
            yield _entry(r)


def _with_entries(case: Case, entries: dict[str, list[Any]]) -> Case:
    """The case's data with its stored entry items in place of the counts its row keeps,
    so the replayed history is compared with them; a count that does not match the rows
    (or rows without a count) stays visible as a difference."""
    for key in {*entries, *case.data}:
        n = count_of(case.data.get(key))
        items = entries.get(key)
        if n is None and items is None:
            continue
        if n is not None and len(items or []) == n:
            case.data[key] = list(items or [])
        else:
            case.data[key] = {"$entries": n, "stored": items or []}
    return case
