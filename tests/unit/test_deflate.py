"""A document's HTML and data deflated with frozen dictionaries on SQLite (db/deflate.py):
every stored form reads back — dictionary blobs, plain zlib streams (documents stored
before 0017) and plain text — and a shipped dictionary never changes."""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path

import orjson
import pytest
from sqlalchemy.dialects.postgresql import psycopg
from sqlalchemy.dialects.sqlite import pysqlite

from db.deflate import (
    DATA,
    DICTIONARIES,
    HTML,
    PLAIN_ZLIB,
    SQLiteDeflatedJSON,
    SQLiteDeflatedText,
    deflate,
    inflate,
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "notices"
SHIPPED = {
    1: "0b313488471a8095305fe58667f910f85d4a119e8e2ff3dd7f785b120119259f",
    2: "2878d60cae91d12b9011c3b1e0b0b4f8d3c25d48a2f453021e6e5c5e686008cb",
}
"""Each dictionary's SHA-256 as shipped: a row written with it must read back for ever."""


def test_a_shipped_dictionary_never_changes() -> None:
    assert {k: hashlib.sha256(v).hexdigest() for k, v in DICTIONARIES.items()} == SHIPPED
    assert all(0 < k < 256 and k != PLAIN_ZLIB for k in DICTIONARIES)
    assert all(len(v) <= 32768 for v in DICTIONARIES.values())  # zlib's window


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.html")), ids=lambda p: p.stem)
def test_every_notice_deflates_with_the_dictionary_to_far_less(path: Path) -> None:
    raw = path.read_bytes()
    blob = deflate(raw, HTML)
    assert blob[0] == HTML and inflate(blob) == raw
    assert len(blob) < len(zlib.compress(raw, 6)) / 2


def test_every_stored_form_of_the_html_reads_back() -> None:
    text = (GOLDEN / "rectification_order.html").read_text("utf-8")
    pg = psycopg.dialect()  # type: ignore[no-untyped-call]
    t, lite = SQLiteDeflatedText(), pysqlite.dialect()
    stored = t.process_bind_param(text, lite)
    assert isinstance(stored, bytes) and stored[0] == HTML
    assert t.process_result_value(stored, lite) == text
    before = zlib.compress(text.encode("utf-8"), 6)  # as 0015 stored it
    assert before[0] == PLAIN_ZLIB and t.process_result_value(before, lite) == text
    assert t.process_result_value(text, lite) == text  # plain text, edited by hand
    assert t.process_bind_param(text, pg) == text and t.process_result_value(text, pg) == text


def test_the_data_reads_back_as_the_same_value_from_every_stored_form() -> None:
    text = (GOLDEN / "penalty_decision.json").read_text("utf-8")
    value = orjson.loads(text)
    lite = pysqlite.dialect(json_serializer=lambda v: orjson.dumps(v).decode("utf-8"))
    t = SQLiteDeflatedJSON()
    bind, result = t.bind_processor(lite), t.result_processor(lite, None)
    stored = bind(value)
    assert isinstance(stored, bytes) and stored[0] == DATA
    assert len(stored) < len(orjson.dumps(value)) / 2
    assert result(stored) == value
    assert result(orjson.dumps(value).decode("utf-8")) == value  # JSON text, as before


def test_a_blob_read_with_another_dictionary_is_refused() -> None:
    blob = deflate(b"<p>" * 100, HTML)
    with pytest.raises(zlib.error):
        inflate(bytes((DATA,)) + blob[1:])
    with pytest.raises(zlib.error):
        inflate(blob[:-5])
