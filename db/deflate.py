"""Documents stored deflated on SQLite (a BLOB in the column), plain elsewhere (PostgreSQL's
TOAST compresses large values itself): their HTML and their frozen data, each deflated with
a preset dictionary (zlib's ``zdict``) of what every notice repeats, so that a document's
row fits on a b-tree leaf page beside others instead of spilling onto an overflow page.

A blob's first byte names its dictionary (`DICTIONARIES`), the zlib stream follows; a blob
whose first byte is 0x78 is a plain zlib stream (documents stored before dictionaries, or
after a downgrade); a value that is not a blob is read as it is (text edited by hand), so
the hash checks still see what is stored. A dictionary never changes once shipped — a row
written with it could no longer be read (zlib refuses a stream whose dictionary's Adler-32
differs) — so each is a frozen file in db/dictionaries/, its SHA-256 pinned by a test; a
better one is added under a new id and `HTML`/`DATA` moved to it.

Version 1 (db/dictionaries/): ``notice_html_1.txt``, the text every template writes
(templates/notices/, Jinja tags removed) followed by the head and stylesheet of a rendered
notice (_base.html.j2, the values of the notice blanked), nearest the end where zlib's
window reaches best; ``notice_data_1.json``, the data of each kind of notice with the
case's own values blanked (the keys, the shape and the bureau's block), orjson as stored.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_HERE = Path(__file__).parent / "dictionaries"
DICTIONARIES: dict[int, bytes] = {
    1: (_HERE / "notice_html_1.txt").read_bytes(),
    2: (_HERE / "notice_data_1.json").read_bytes(),
}
"""Dictionary id (the blob's first byte, never 0x78) → the dictionary; frozen once shipped."""
HTML = 1
"""The dictionary a document's HTML is deflated with."""
DATA = 2
"""The dictionary a document's data (its JSON) is deflated with."""
LEVEL = 1
"""zlib's level: with a dictionary, 1 takes half the time of 6 (17 µs against 38 µs for a
7.3 kB notice; plain zlib at 6: 64 µs) and its rows, 0.2 kB larger, still fit three on a
leaf page."""
PLAIN_ZLIB = 0x78
"""The first byte of a plain zlib stream (a 32 KiB window), as documents were first stored."""

_PRIMED: dict[int, Any] = {}


def deflate(raw: bytes, dictionary: int) -> bytes:
    """``raw`` deflated with a dictionary, its id first. The compressor is primed with the
    dictionary once and copied for each value (priming hashes the whole dictionary)."""
    primed = _PRIMED.get(dictionary)
    if primed is None:
        primed = _PRIMED[dictionary] = zlib.compressobj(LEVEL, zdict=DICTIONARIES[dictionary])
    c = primed.copy()
    return bytes((dictionary,)) + c.compress(raw) + c.flush()


def inflate(blob: bytes) -> bytes:
    """A stored blob back: one deflated with a dictionary, or a plain zlib stream."""
    if blob[:1] == bytes((PLAIN_ZLIB,)):
        return zlib.decompress(blob)
    d = zlib.decompressobj(zdict=DICTIONARIES[blob[0]])
    out = d.decompress(blob[1:]) + d.flush()
    if not d.eof:
        raise zlib.error("incomplete deflated value")
    return out


class SQLiteDeflatedText(TypeDecorator[str]):
    """Text stored deflated on SQLite with the `HTML` dictionary, plain elsewhere. A
    notice's HTML (a payment order: 7.3 kB, 3.1 kB deflated alone, 0.5 kB with the
    dictionary) then leaves room on its leaf page for other documents."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return deflate(value.encode("utf-8"), HTML)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if isinstance(value, bytes):
            return inflate(value).decode("utf-8")
        return None if value is None else str(value)


class SQLiteDeflatedJSON(TypeDecorator[Any]):
    """JSON stored deflated on SQLite with the `DATA` dictionary, as JSON elsewhere. It
    reads back as the same value (the same JSON text, deflated), so its canonical hash is
    unchanged; a value stored as JSON text (before, or by hand) is read as JSON."""

    impl = sa.JSON
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> Any:
        to_json = self.impl_instance.dialect_impl(dialect).bind_processor(dialect)
        if dialect.name != "sqlite" or to_json is None:
            return to_json
        json_text = to_json

        def process(value: Any) -> bytes | None:
            text = json_text(value)
            return None if text is None else deflate(text.encode("utf-8"), DATA)

        return process

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        from_json = self.impl_instance.dialect_impl(dialect).result_processor(dialect, coltype)
        if dialect.name != "sqlite" or from_json is None:
            return from_json
        json_value = from_json

        def process(value: Any) -> Any:
            if isinstance(value, bytes):
                value = inflate(value).decode("utf-8")
            return json_value(value)

        return process
