"""SQL store for files rendered from issued documents (the worker's PDFs)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping

from db.tables import DocumentFileRow, DocumentRow
from engine.service.document_ports import (
    DocumentFileRepository,
    DocumentFormat,
    FileInfo,
    StoredFile,
)

files_t = DocumentFileRow.__table__  # type: ignore[attr-defined]
documents_t = DocumentRow.__table__  # type: ignore[attr-defined]

_INFO_COLUMNS = [c for c in files_t.c if c.name != "content"]


def _info(r: RowMapping) -> FileInfo:
    return FileInfo(
        document_id=r["document_id"],
        format=DocumentFormat(r["format"]),
        size=r["size"],
        sha256=r["sha256"],
        source_sha256=r["source_sha256"],
        renderer=r["renderer"],
        rendered_at=r["rendered_at"],
    )


def _has_file(fmt: DocumentFormat) -> Any:
    return (
        sa.select(files_t.c.id)
        .where(files_t.c.document_id == documents_t.c.id, files_t.c.format == fmt.value)
        .exists()
    )


class SqlDocumentFileRepository(DocumentFileRepository):
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def get(self, document_id: int, fmt: DocumentFormat) -> StoredFile | None:
        r = (
            self.conn.execute(
                sa.select(files_t).where(
                    files_t.c.document_id == document_id, files_t.c.format == fmt.value
                )
            )
            .mappings()
            .first()
        )
        return StoredFile(_info(r), bytes(r["content"])) if r else None

    def add(self, info: FileInfo, content: bytes) -> bool:
        dialect = self.conn.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(files_t)
            .values(
                document_id=info.document_id,
                format=info.format.value,
                content=content,
                size=info.size,
                sha256=info.sha256,
                source_sha256=info.source_sha256,
                renderer=info.renderer,
                rendered_at=info.rendered_at,
            )
            .on_conflict_do_nothing(index_elements=[files_t.c.document_id, files_t.c.format])
            .returning(files_t.c.id)
        )
        # RETURNING rather than rowcount: psycopg reports -1 for this statement.
        return self.conn.execute(stmt).first() is not None

    def infos(self, document_ids: list[int]) -> dict[int, list[FileInfo]]:
        if not document_ids:
            return {}
        rows = self.conn.execute(
            sa.select(*_INFO_COLUMNS)
            .where(files_t.c.document_id.in_(document_ids))
            .order_by(files_t.c.document_id, files_t.c.format)
        ).mappings()
        out: dict[int, list[FileInfo]] = {}
        for r in rows:
            out.setdefault(r["document_id"], []).append(_info(r))
        return out

    def pending(self, fmt: DocumentFormat, limit: int) -> list[int]:
        q = (
            sa.select(documents_t.c.id)
            .where(~_has_file(fmt))
            # in the order issued: on SQLite an id is keyed by its case (db/document_ids.py)
            .order_by(documents_t.c.issued_at, documents_t.c.id)
            .limit(max(limit, 0))
        )
        return [int(i) for i in self.conn.execute(q).scalars()]

    def claim(self, document_id: int, fmt: DocumentFormat) -> bool:
        # FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite ignores it (its writers queue at BEGIN).
        q = (
            sa.select(documents_t.c.id)
            .where(documents_t.c.id == document_id, ~_has_file(fmt))
            .with_for_update(skip_locked=True)
        )
        return self.conn.execute(q).first() is not None
