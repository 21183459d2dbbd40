"""Append-only case history, hash-chained per case.

Each event's hash is the SHA-256 of a canonical JSON rendering of its content and the
previous event's hash, so an edited, removed or reordered row breaks the chain from there on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import orjson

GENESIS = "0" * 64


class EventKind(StrEnum):
    OPENED = "opened"
    FIRED = "fired"
    ASSIGNED = "assigned"
    NOTE = "note"
    ATTACHMENT = "attachment"
    DOCUMENT = "document"
    DEADLINE = "deadline"
    REMINDER = "reminder"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class HistoryEvent:
    case_ref: str
    seq: int
    at: datetime
    actor: str
    kind: EventKind
    trigger: str | None
    from_state: str | None
    to_state: str | None
    payload: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""
    prev_hash: str = GENESIS
    hash: str = ""

    def content(self) -> dict[str, Any]:
        return _content(
            self.case_ref,
            self.seq,
            self.at,
            self.actor,
            self.kind,
            self.trigger,
            self.from_state,
            self.to_state,
            self.payload,
            self.reason,
            self.prev_hash,
        )

    def computed_hash(self) -> str:
        return event_hash(self.content())


def _content(
    case_ref: str,
    seq: int,
    at: datetime,
    actor: str,
    kind: EventKind,
    trigger: str | None,
    from_state: str | None,
    to_state: str | None,
    payload: Mapping[str, Any],
    reason: str,
    prev_hash: str,
) -> dict[str, Any]:
    """What an event's hash covers (`HistoryEvent.content`)."""
    return {
        "case": case_ref,
        "seq": seq,
        "at": canonical_time(at),
        "actor": actor,
        "kind": str(kind),
        "trigger": trigger,
        "from": from_state,
        "to": to_state,
        "payload": payload,
        "reason": reason,
        "prev": prev_hash,
    }


def canonical_time(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("history timestamps must be timezone-aware")
    utc = at.astimezone(UTC)
    if utc.year < 1000:  # strftime's %Y does not pad such years on every platform
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # what strftime("%Y-%m-%dT%H:%M:%S.%fZ") gives, without its format parsing
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def event_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON: UTF-8, keys sorted, no spaces (orjson; byte-for-byte
    what `json.dumps(..., ensure_ascii=False, sort_keys=True, separators=(",", ":"))` gives)."""
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


def make_event(
    *,
    case_ref: str,
    seq: int,
    prev_hash: str,
    at: datetime,
    actor: str,
    kind: EventKind,
    trigger: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    payload: Mapping[str, Any] | None = None,
    reason: str = "",
) -> HistoryEvent:
    body = dict(payload or {})
    content = _content(
        case_ref, seq, at, actor, kind, trigger, from_state, to_state, body, reason, prev_hash
    )
    return HistoryEvent(
        case_ref=case_ref,
        seq=seq,
        at=at,
        actor=actor,
        kind=kind,
        trigger=trigger,
        from_state=from_state,
        to_state=to_state,
        payload=body,
        reason=reason,
        prev_hash=prev_hash,
        hash=event_hash(content),
    )


@dataclass(frozen=True)
class BrokenLink:
    case_ref: str
    seq: int
    problem: str


def verify_chain(case_ref: str, events: Iterable[HistoryEvent]) -> BrokenLink | None:
    """Return the first broken link of a case's chain, or None when it is intact."""
    prev = GENESIS
    expected_seq = 1
    for ev in events:
        if ev.seq != expected_seq:
            return BrokenLink(case_ref, ev.seq, f"序号不连续：应为 {expected_seq}，实为 {ev.seq}")
        if ev.prev_hash != prev:
            return BrokenLink(case_ref, ev.seq, "前序哈希与上一条记录不符")
        if ev.computed_hash() != ev.hash:
            return BrokenLink(case_ref, ev.seq, "记录内容与其哈希不符（记录被改动）")
        prev = ev.hash
        expected_seq += 1
    return None
