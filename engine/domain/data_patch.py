"""What a step wrote into a case's data, recorded as a patch against the data before it, so a
history event stays as small as the step (a payment adds one entry to a list of hundreds; the
event records that entry, not the list) and the case row can still be replayed from its
history (`caseflow verify`).

A patch is the new value itself, or — where the new value extends the old one — a marker:
``{"$append": [items]}`` for a list that grew at its end, ``{"$merge": {key: patch},
"$drop": [keys]}`` for a mapping whose keys changed in part. Data keys never begin with "$"
(they are payload model field names), so a marker cannot be mistaken for a value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.domain.entries import EntryList

APPEND, MERGE, DROP = "$append", "$merge", "$drop"


def patch(old: Any, new: Any) -> Any:
    """The patch that turns ``old`` into ``new`` (``new`` itself when no marker is smaller)."""
    if isinstance(new, EntryList):  # appended without reading what is stored
        if new.extends(old):
            assert isinstance(old, EntryList)
            return {APPEND: list(new.pending[len(old.pending) :])}
        new = new.items()
    if isinstance(old, EntryList):
        old = old.items()
    if isinstance(old, list) and isinstance(new, list):
        if len(new) >= len(old) and new[: len(old)] == old and old:
            return {APPEND: new[len(old) :]}
        return new
    if isinstance(old, Mapping) and isinstance(new, Mapping) and old:
        changed = {k: patch(old.get(k), v) for k, v in new.items() if k not in old or old[k] != v}
        dropped = [k for k in old if k not in new]
        if len(changed) + len(dropped) >= len(new):
            return dict(new)
        out: dict[str, Any] = {MERGE: changed}
        if dropped:
            out[DROP] = dropped
        return out
    return new


def patched(old: Any, change: Any) -> Any:
    """``old`` with ``change`` (a patch or a plain value) applied."""
    if isinstance(change, Mapping) and APPEND in change and len(change) == 1:
        if isinstance(old, EntryList):
            return old.appended(*change[APPEND])
        return [*(old if isinstance(old, list) else []), *change[APPEND]]
    if isinstance(change, Mapping) and MERGE in change and set(change) <= {MERGE, DROP}:
        out = dict(old) if isinstance(old, Mapping) else {}
        for k, v in change[MERGE].items():
            out[k] = patched(out.get(k), v)
        for k in change.get(DROP, []):
            out.pop(k, None)
        return out
    return change


def data_patch(before: Mapping[str, Any], recorded: Mapping[str, Any]) -> dict[str, Any]:
    """The ``_data`` of an event: each key the step wrote, as a patch against ``before``."""
    return {k: patch(before.get(k), v) for k, v in recorded.items()}


def apply_data_patch(data: dict[str, Any], recorded: Mapping[str, Any]) -> None:
    """Replay an event's ``_data`` onto ``data`` (in place)."""
    for k, v in recorded.items():
        data[k] = patched(data.get(k), v)
