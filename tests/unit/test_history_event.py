"""A history event's hash is the one the chain has always held: the canonical time and the
canonical JSON byte for byte as before the command path was made faster (issue 13)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from engine.domain.history import EventKind, HistoryEvent, canonical_time, make_event

CST = timezone(timedelta(hours=8))


@given(
    st.datetimes(
        min_value=datetime(1000, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from([UTC, CST]),
    )
)
def test_the_canonical_time_is_strftimes(at: datetime) -> None:
    assert canonical_time(at) == at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _hash_as_before(ev: HistoryEvent) -> str:
    """The hash as the first release computed it (json.dumps, strftime)."""
    content = {
        "case": ev.case_ref,
        "seq": ev.seq,
        "at": ev.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": ev.actor,
        "kind": str(ev.kind),
        "trigger": ev.trigger,
        "from": ev.from_state,
        "to": ev.to_state,
        "payload": dict(ev.payload),
        "reason": ev.reason,
        "prev": ev.prev_hash,
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_an_event_is_hashed_as_before() -> None:
    ev = make_event(
        case_ref="WA2026-0001",
        seq=3,
        prev_hash="a" * 64,
        at=datetime(2026, 3, 2, 9, 30, 0, 123, tzinfo=CST),
        actor="wang",
        kind=EventKind.FIRED,
        trigger="record_findings",
        from_state="investigating",
        to_state="findings_recorded",
        payload={"facts": "72名农民工被拖欠工资", "workers": 72, "_data": {"z": 1, "a": [1, 2]}},
        reason="",
    )
    assert ev.hash == _hash_as_before(ev) == ev.computed_hash()
    assert ev.content()["at"] == "2026-03-02T01:30:00.000123Z"
