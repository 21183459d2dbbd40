"""The anchor file: an append-only JSON Lines file outside the database, one line per
`caseflow anchor` (and per day from the worker). Each line holds the time, the Merkle root
of every chain head (engine.domain.integrity.merkle_root) and the heads themselves (the
leaves: case number, last event's number and hash, ordered by case number, the user-
administration log last as ``~users``), so `caseflow verify --anchors` can name the case
and event that changed since. Each line also carries the SHA-256 of the line before it, so a
line removed or edited inside the file shows too.

A line of 100,000 cases is about 10 MB. Copy the short root (or the whole line) somewhere
the database's administrators cannot reach: a paper register, a mail to the supervising
department, a write-once medium.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import orjson
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from engine.domain.history import canonical_time
from engine.domain.integrity import Leaf, merkle_root, short_root

DEFAULT_NAME = "caseflow-anchors.jsonl"
FORMAT = 1


@dataclass(frozen=True)
class Anchor:
    at: datetime
    root: str
    leaves: tuple[Leaf, ...]
    line: int = 0
    """Its line number in the file (1-based), once read back or written."""

    @property
    def short(self) -> str:
        return short_root(self.root)

    @property
    def cases(self) -> int:
        return sum(1 for leaf in self.leaves if not leaf.ref.startswith("~"))


@dataclass(frozen=True)
class BadLine:
    """A line of the anchor file that cannot be trusted, and why."""

    line: int
    problem: str


def default_anchor_path(url: str) -> Path:
    """CASEFLOW_ANCHORS, or caseflow-anchors.jsonl next to a SQLite database file, or in
    the working directory for a database server."""
    env = os.environ.get("CASEFLOW_ANCHORS")
    if env:
        return Path(env)
    try:
        parsed = make_url(url)
    except ArgumentError:
        return Path(DEFAULT_NAME)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database).parent / DEFAULT_NAME
    return Path(DEFAULT_NAME)


def make_anchor(at: datetime, leaves: list[Leaf]) -> Anchor:
    ordered = tuple(sorted(leaves, key=lambda leaf: leaf.ref))
    return Anchor(at, merkle_root(ordered), ordered)


def _line(anchor: Anchor, prev: str) -> bytes:
    return orjson.dumps(
        {
            "format": FORMAT,
            "at": canonical_time(anchor.at),
            "root": anchor.root,
            "short": anchor.short,
            "cases": anchor.cases,
            "prev": prev,
            "leaves": [[leaf.ref, leaf.seq, leaf.hash] for leaf in anchor.leaves],
        }
    )


def _last_line(path: Path) -> tuple[int, bytes]:
    count, last = 0, b""
    if path.exists():
        with path.open("rb") as f:
            for raw in f:
                if raw.strip():
                    count, last = count + 1, raw.rstrip(b"\n")
    return count, last


def append_anchor(path: Path, anchor: Anchor) -> Anchor:
    """Append the anchor as one line (written and synced before returning)."""
    count, last = _last_line(path)
    prev = hashlib.sha256(last).hexdigest() if last else ""
    with path.open("ab") as f:
        f.write(_line(anchor, prev) + b"\n")
        f.flush()
        os.fsync(f.fileno())
    return Anchor(anchor.at, anchor.root, anchor.leaves, count + 1)


def read_anchors(path: Path) -> Iterator[Anchor | BadLine]:
    """Every line of the file, checked: well-formed, its root that of its leaves, its
    ``prev`` the hash of the line before."""
    prev = ""
    number = 0
    with path.open("rb") as f:
        for raw in f:
            line = raw.rstrip(b"\n")
            if not line.strip():
                continue
            number += 1
            expected_prev, prev = prev, hashlib.sha256(line).hexdigest()
            try:
                body = orjson.loads(line)
                leaves = tuple(Leaf(str(r), int(s), str(h)) for r, s, h in body["leaves"])
                anchor = Anchor(
                    datetime.fromisoformat(body["at"]), str(body["root"]), leaves, number
                )
                given_prev = str(body.get("prev", ""))
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                yield BadLine(number, "不是有效的锚点记录")
                continue
            if merkle_root(leaves) != anchor.root:
                yield BadLine(number, "锚点的根哈希与其所列各案件的链头不符（锚点被改动）")
                continue
            if given_prev != expected_prev:
                yield BadLine(number, "与上一行锚点的哈希不符（锚点文件中有行被删除或改动）")
            yield anchor
