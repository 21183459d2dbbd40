"""What `caseflow verify` checks, as pure functions: a case replayed from its history, the
user-administration log's own hash chain, and the Merkle root of the chain heads that
`caseflow anchor` writes outside the database.

The case row is a projection of its history: the opening event carries the first state,
data and assignees, every fired trigger its destination and what it wrote into the data
(``_data``, with ``_linked`` for the cases it opened), every assignment the new assignees
and every overdue mark the flag. A row that differs from the replay was changed without an
event.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

import orjson

from engine.domain.data_patch import apply_data_patch
from engine.domain.history import GENESIS, EventKind, HistoryEvent, canonical_time, event_hash


class Check(StrEnum):
    """The stable codes of what `verify` can find (``--json`` gives them)."""

    CHAIN = "CHAIN_BROKEN"
    CASE_ROW = "CASE_ROW_MISMATCH"
    DOCUMENT = "DOCUMENT_MISMATCH"
    ATTACHMENT = "ATTACHMENT_MISMATCH"
    TIMER = "TIMER_MISMATCH"
    USER = "USER_MISMATCH"
    USER_LOG = "USER_LOG_BROKEN"
    ANCHOR_CHANGED = "ANCHOR_HISTORY_CHANGED"
    ANCHOR_TRUNCATED = "ANCHOR_HISTORY_TRUNCATED"
    ANCHOR_DELETED = "ANCHOR_CASE_DELETED"
    ANCHOR_FILE = "ANCHOR_FILE_INVALID"


CHECK_LABELS = {
    Check.CHAIN: "办理记录哈希链断裂",
    Check.CASE_ROW: "案件数据与办理记录不符",
    Check.DOCUMENT: "文书与签发记录不符",
    Check.ATTACHMENT: "附件与登记记录不符",
    Check.TIMER: "期限与办理记录不符",
    Check.USER: "用户与用户管理日志不符",
    Check.USER_LOG: "用户管理日志哈希链断裂",
    Check.ANCHOR_CHANGED: "锚定后的办理记录被改动",
    Check.ANCHOR_TRUNCATED: "锚定后的办理记录被删除",
    Check.ANCHOR_DELETED: "锚定后的案件被删除",
    Check.ANCHOR_FILE: "锚点文件无效",
}


@dataclass(frozen=True)
class Finding:
    """One thing `verify` found broken: where (a case and its event, or a user), what."""

    case_ref: str
    seq: int
    problem: str
    check: Check = Check.CHAIN
    user: str = ""

    @property
    def label(self) -> str:
        return CHECK_LABELS[self.check]


# -- replaying a case ---------------------------------------------------------------------


@dataclass
class Replayed:
    """The case row as its history says it must be."""

    state: str | None = None
    version: int = 0
    data: dict[str, Any] = field(default_factory=dict)
    assignees: list[str] = field(default_factory=list)
    overdue: bool = False
    closed_at: datetime | None = None
    last_seq: int = 0
    last_hash: str = GENESIS
    data_known: bool = True
    """False when an event predates ``_data`` (then the data cannot be replayed)."""
    entered: HistoryEvent | None = None
    """The event by which the case entered its current state (what started its timers)."""


def replay(events: Iterable[HistoryEvent], is_final: Callable[[str], bool]) -> Replayed:
    """Replay a case's (intact) history; ``is_final`` tells the procedure's final states."""
    r = Replayed()
    for ev in events:
        r.version += 1
        r.last_seq, r.last_hash = ev.seq, ev.hash
        p = ev.payload
        if ev.kind is EventKind.OPENED:
            r.state = ev.to_state
            r.entered = ev
            if "data" in p:
                r.data = dict(p["data"])
            else:
                r.data_known = False
            r.assignees = list(p.get("assignees") or [])
        elif ev.kind is EventKind.FIRED:
            if "_data" in p:
                apply_data_patch(r.data, p["_data"])
            else:  # recorded before transitions recorded their data
                r.data_known = False
            if p.get("_linked"):
                r.data["linked_cases"] = [*r.data.get("linked_cases", []), *p["_linked"]]
            if ev.to_state != ev.from_state:
                r.overdue = False
                r.entered = ev
            r.state = ev.to_state
            if ev.to_state is not None and is_final(ev.to_state):
                r.closed_at = ev.at
        elif ev.kind is EventKind.ASSIGNED:
            r.assignees = list(p.get("to") or [])
        elif ev.kind is EventKind.OVERDUE:
            r.overdue = True
        if ev.kind is not EventKind.FIRED and "_data" in p:
            apply_data_patch(r.data, p["_data"])  # a step outside the triggers (a recorded service)
    return r


def row_mismatches(row: Mapping[str, Any], r: Replayed) -> list[str]:
    """What of the case row (state, version, data, assignees, overdue, closed, head)
    differs from the replay, in words."""
    found = []
    if row["state"] != r.state:
        found.append(f"状态为 {row['state']}，办理记录为 {r.state}")
    if row["version"] != r.version:
        found.append(f"版本为 {row['version']}，办理记录共 {r.version} 条")
    if (row["last_seq"], row["last_hash"]) != (r.last_seq, r.last_hash):
        found.append(f"末条记录登记为第 {row['last_seq']} 条，与办理记录不符")
    if r.data_known and row["data"] != r.data and _canonical(row["data"]) != _canonical(r.data):
        keys = sorted(
            k
            for k in {*row["data"], *r.data}
            if _canonical(row["data"].get(k)) != _canonical(r.data.get(k))
        )
        found.append(f"案件数据（{'、'.join(keys)}）与办理记录不符")
    if list(row["assignees"]) != r.assignees:
        found.append(
            f"承办人为 {'、'.join(row['assignees']) or '无'}，"
            f"办理记录为 {'、'.join(r.assignees) or '无'}"
        )
    if bool(row["overdue"]) != r.overdue:
        found.append("逾期标记与办理记录不符")
    if row["closed_at"] != r.closed_at:
        found.append("结案时间与办理记录不符")
    return found


def _canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def content_hash(data: Mapping[str, Any]) -> str:
    """The canonical hash of a document's frozen data, as its issuing event records it."""
    return event_hash(data)


# -- the user-administration log ----------------------------------------------------------


@dataclass(frozen=True)
class UserLogEntry:
    """One change to a user, with the user as it stands after it; hash-chained."""

    seq: int
    at: datetime
    actor: str
    user_name: str
    action: str
    role: str
    unit: str
    active: bool
    credential: str = ""
    """SHA-256 of the stored password hash ("" without a password): a password set in
    the database directly shows."""
    prev_hash: str = GENESIS
    hash: str = ""

    def content(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": canonical_time(self.at),
            "actor": self.actor,
            "user": self.user_name,
            "action": self.action,
            "role": self.role,
            "unit": self.unit,
            "active": self.active,
            "credential": self.credential,
            "prev": self.prev_hash,
        }

    def computed_hash(self) -> str:
        return event_hash(self.content())

    def sealed(self) -> UserLogEntry:
        return replace(self, hash=self.computed_hash())


def credential_digest(password_hash: str) -> str:
    """What the log keeps of a stored password hash: its SHA-256 ("" for none)."""
    return hashlib.sha256(password_hash.encode()).hexdigest() if password_hash else ""


def verify_user_log(entries: Iterable[UserLogEntry]) -> tuple[Finding | None, dict[str, Any]]:
    """Check the log's chain; return its first break (or None) and each user's last
    entry (name -> entry), what the users table must show."""
    prev, expected = GENESIS, 1
    last: dict[str, Any] = {}
    for e in entries:
        problem = None
        if e.seq != expected:
            problem = f"序号不连续：应为 {expected}，实为 {e.seq}"
        elif e.prev_hash != prev:
            problem = "前序哈希与上一条记录不符"
        elif e.computed_hash() != e.hash:
            problem = "记录内容与其哈希不符（记录被改动）"
        if problem is not None:
            return Finding("", e.seq, problem, Check.USER_LOG, e.user_name), last
        last[e.user_name] = e
        prev, expected = e.hash, expected + 1
    return None, last


# -- anchors: the Merkle root of the chain heads ---------------------------------------------

USER_LOG_LEAF = "~users"
"""The leaf of the user-administration log's head (sorts after every case number)."""


@dataclass(frozen=True)
class Leaf:
    """A chain head: a case (or the user log) with its last event's number and hash."""

    ref: str
    seq: int
    hash: str

    def digest(self) -> bytes:
        return hashlib.sha256(b"\x00" + _canonical([self.ref, self.seq, self.hash])).digest()


def merkle_root(leaves: Sequence[Leaf]) -> str:
    """The Merkle root (SHA-256, RFC 6962 style: 0x00 before a leaf, 0x01 before a pair;
    an odd node is carried up) over the leaves in the given order."""
    level = [leaf.digest() for leaf in leaves]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        nxt = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex()


def short_root(root: str) -> str:
    """What to copy into a paper register: the first 16 hex digits, in groups of four."""
    head = root[:16]
    return " ".join(head[i : i + 4] for i in range(0, 16, 4))
