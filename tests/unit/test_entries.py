"""An entry list (a case's growing list kept as rows of its own) appends without reading
what is stored, and reads it once, whole, when something looks at it."""

from __future__ import annotations

from typing import Any

import pytest

from engine.domain.data_patch import apply_data_patch, data_patch
from engine.domain.entries import EntryList, appended, plain, plain_data

STORED = [{"amount": "1.00"}, {"amount": "2.00"}]


class Loader:
    def __init__(self, items: list[Any]) -> None:
        self.items, self.calls = items, 0

    def __call__(self, n: int) -> list[Any]:
        self.calls += 1
        return self.items[:n]


def test_an_append_reads_nothing_and_the_patch_is_the_new_item() -> None:
    load = Loader(STORED)
    before = EntryList(2, load)
    after = appended(before, {"amount": "3.00"})
    assert len(after) == 3 and after[-1] == {"amount": "3.00"} and after[2] == {"amount": "3.00"}
    assert data_patch({"payments": before}, {"payments": after}) == {
        "payments": {"$append": [{"amount": "3.00"}]}
    }
    assert load.calls == 0
    assert list(after) == [*STORED, {"amount": "3.00"}] and load.calls == 1
    assert after[0] == STORED[0] and list(before) == STORED and load.calls == 1  # read once


def test_a_replayed_patch_gives_the_same_list() -> None:
    before = EntryList(2, Loader(STORED))
    after = appended(before, {"amount": "3.00"})
    replayed: dict[str, Any] = {"payments": list(STORED)}
    apply_data_patch(replayed, data_patch({"payments": before}, {"payments": after}))
    assert replayed["payments"] == after == [*STORED, {"amount": "3.00"}]


def test_a_list_built_whole_is_compared_item_by_item() -> None:
    before = EntryList(2, Loader(STORED))
    rebuilt = [*before, {"amount": "3.00"}]
    assert data_patch({"payments": before}, {"payments": rebuilt}) == {
        "payments": {"$append": [{"amount": "3.00"}]}
    }
    changed = [{"amount": "9.00"}, *STORED[1:]]
    assert data_patch({"payments": before}, {"payments": changed}) == {"payments": changed}


def test_appending_to_nothing_or_to_a_plain_list_gives_a_plain_list() -> None:
    assert appended(None, 1) == [1]
    assert appended([1], 2) == [1, 2]


def test_saved_lists_keep_what_was_read_and_nothing_pending() -> None:
    load = Loader([*STORED, {"amount": "3.00"}])
    first = EntryList(2, load)
    list(first)
    saved = appended(first, {"amount": "3.00"}).saved()
    assert saved.stored == 3 and saved.pending == ()
    assert list(saved) == load.items and load.calls == 1


def test_a_count_the_rows_do_not_match_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="2 stored, the case row counts 3"):
        list(EntryList(3, Loader(STORED)))


def test_plain_reads_nested_lists() -> None:
    lists = {"payments": EntryList(2, Loader(STORED)), "x": {"y": [EntryList(0, Loader([]))]}}
    assert plain(lists) == {"payments": STORED, "x": {"y": [[]]}}
    assert plain_data({"payments": EntryList(2, Loader(STORED))}) == {"payments": STORED}
