"""A step's data is recorded as a patch of the data before it: replaying the patch gives the
data exactly, and an event that adds one payment to a long list holds that payment only."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from engine.domain.data_patch import apply_data_patch, data_patch, patch, patched

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text("abcxyz", max_size=3), inner, max_size=4),
    ),
    max_leaves=12,
)


@given(values, values)
def test_a_patch_replays_to_the_new_value(old: Any, new: Any) -> None:
    assert patched(old, patch(old, new)) == new


@given(
    st.dictionaries(st.text("abc", max_size=2), values, max_size=4),
    st.dictionaries(st.text("abc", max_size=2), values, max_size=4),
)
def test_a_data_patch_replays_onto_the_data(
    before: dict[str, Any], recorded: dict[str, Any]
) -> None:
    data = dict(before)
    apply_data_patch(data, data_patch(before, recorded))
    assert data == {**before, **recorded}


def test_a_growing_list_records_only_what_it_gained() -> None:
    payments = [{"amount": "1.00", "paid_on": "2026-03-13"} for _ in range(500)]
    before = {"payments": payments, "penalty": {"statements": ["陈述"] * 200, "fine": "5000"}}
    recorded = {
        "payments": [*payments, {"amount": "2.00", "paid_on": "2026-03-14"}],
        "penalty": {"statements": ["陈述"] * 201, "fine": "5000"},
    }
    written = data_patch(before, recorded)
    assert len(json.dumps(written, ensure_ascii=False)) < 150
    assert written["payments"] == {"$append": [{"amount": "2.00", "paid_on": "2026-03-14"}]}
    data = {k: v for k, v in before.items()}
    apply_data_patch(data, written)
    assert data == recorded
