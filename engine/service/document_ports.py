"""Ports of the document service: the formats, the store for rendered files (part of the
unit of work), and the converters from a stored notice's HTML to Word and PDF.
`db/document_files.py` implements the store; `engine/adapters/` the converters."""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class DocumentFormat(StrEnum):
    HTML = "html"
    DOCX = "docx"
    PDF = "pdf"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


_MEDIA_TYPES = {
    DocumentFormat.HTML: "text/html; charset=utf-8",
    DocumentFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentFormat.PDF: "application/pdf",
}
_LABELS = {
    DocumentFormat.HTML: "网页（HTML）",
    DocumentFormat.DOCX: "Word 文档（可编辑）",
    DocumentFormat.PDF: "PDF（打印、送达）",
}


@dataclass(frozen=True)
class FileInfo:
    """A rendered file as a listing shows it (without its bytes)."""

    document_id: int
    format: DocumentFormat
    size: int
    sha256: str
    source_sha256: str
    renderer: str
    rendered_at: datetime


@dataclass(frozen=True)
class StoredFile:
    info: FileInfo
    content: bytes


class DocumentFileRepository(abc.ABC):
    """Rendered files of issued documents: written once, one per document and format."""

    @abc.abstractmethod
    def get(self, document_id: int, fmt: DocumentFormat) -> StoredFile | None: ...

    @abc.abstractmethod
    def add(self, info: FileInfo, content: bytes) -> bool:
        """Store a file; False (and nothing written) when that document already has one
        in that format."""

    @abc.abstractmethod
    def infos(self, document_ids: list[int]) -> dict[int, list[FileInfo]]: ...

    @abc.abstractmethod
    def pending(self, fmt: DocumentFormat, limit: int) -> list[int]:
        """Ids of issued documents with no file in `fmt`, oldest first."""

    @abc.abstractmethod
    def claim(self, document_id: int, fmt: DocumentFormat) -> bool:
        """Inside the current transaction, take the document for rendering: True when it
        still has no file in `fmt` and no other worker holds it (PostgreSQL: the document
        row locked with SKIP LOCKED; SQLite serialises writers anyway)."""


class PdfConverter(Protocol):
    """HTML text of a stored notice → PDF bytes, fonts embedded."""

    @property
    def name(self) -> str: ...

    def pdf(self, html: str) -> bytes: ...


class DocxConverter(Protocol):
    """A stored notice → editable .docx bytes: its Word template (``template`` names the
    notice) filled with its frozen ``data`` and the text of its issued ``html``."""

    def docx(self, html: str, template: str, data: Mapping[str, Any]) -> bytes: ...
