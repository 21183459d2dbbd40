"""The pure parts of `verify`: the Merkle root of the anchors, the user log's chain and the
replay of a case from its history."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

from engine.domain.history import GENESIS, EventKind, make_event
from engine.domain.integrity import (
    Check,
    Leaf,
    UserLogEntry,
    merkle_root,
    replay,
    short_root,
    verify_user_log,
)

AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def test_the_merkle_root_pairs_leaves_and_carries_an_odd_one_up() -> None:
    a, b, c = Leaf("A1", 1, "a" * 64), Leaf("B1", 2, "b" * 64), Leaf("C1", 3, "c" * 64)
    assert merkle_root([a]) == a.digest().hex()
    assert merkle_root([a, b]) == _node(a.digest(), b.digest()).hex()
    assert merkle_root([a, b, c]) == _node(_node(a.digest(), b.digest()), c.digest()).hex()
    assert merkle_root([a, replace(b, seq=3), c]) != merkle_root([a, b, c])
    assert short_root("0123456789abcdef" + "0" * 48) == "0123 4567 89ab cdef"


def _log(*roles: str) -> list[UserLogEntry]:
    entries, prev = [], GENESIS
    for seq, role in enumerate(roles, start=1):
        e = UserLogEntry(seq, AT, "admin", "wang", "role_changed", role, "大队", True, "", prev)
        e = e.sealed()
        entries.append(e)
        prev = e.hash
    return entries


def test_the_user_log_chain_gives_each_users_last_entry_and_its_first_break() -> None:
    entries = _log("inspector", "supervisor")
    broken, last = verify_user_log(entries)
    assert broken is None and last["wang"].role == "supervisor"
    edited = [entries[0], replace(entries[1], role="admin")]
    broken, _ = verify_user_log(edited)
    assert broken is not None and broken.check is Check.USER_LOG and broken.seq == 2


def test_a_case_is_replayed_from_its_events() -> None:
    opened = make_event(
        case_ref="WA2026-0001", seq=1, prev_hash=GENESIS, at=AT, actor="wang",
        kind=EventKind.OPENED, to_state="intake",
        payload={"data": {"claimed": "1"}, "assignees": ["wang"]},
    )  # fmt: skip
    fired = make_event(
        case_ref="WA2026-0001", seq=2, prev_hash=opened.hash, at=AT, actor="wang",
        kind=EventKind.FIRED, trigger="close", from_state="intake", to_state="closed",
        payload={"_data": {"closed_as": "paid"}, "_linked": ["WA2026-0002"]},
    )  # fmt: skip
    r = replay([opened, fired], lambda s: s == "closed")
    assert (r.state, r.version, r.last_hash, r.closed_at) == ("closed", 2, fired.hash, AT)
    assert r.data == {"claimed": "1", "closed_as": "paid", "linked_cases": ["WA2026-0002"]}
    assert r.assignees == ["wang"] and r.data_known and r.entered == fired
    legacy = replace(fired, payload={})
    assert not replay([opened, legacy], lambda s: False).data_known
