"""A case's growing lists as rows of `case_entries` (engine/domain/entries.py): the case row
stores ``{"$entries": n}`` in their place; the items are read when something reads them
(`EntryList`), and `verify` reads them with the cases of its batch.

Stored items never change (the lists only grow at their end), so a list read after its unit
of work ended — a command's result rendered by the web application — reads its first ``n``
items on a connection of its own and gets what the unit of work would have read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import orjson
import sqlalchemy as sa

from db.fast import insert_rows
from db.idle import IN_UNIT
from db.tables import CaseEntryRow
from engine.domain.entries import COUNT, ENTRY_KEYS, EntryList

entries_t: sa.Table = CaseEntryRow.__table__  # type: ignore[attr-defined]

_READ = (
    sa.select(entries_t.c.item)
    .where(
        entries_t.c.case_id == sa.bindparam("b_case"),
        entries_t.c.key == sa.bindparam("b_key"),
        entries_t.c.seq < sa.bindparam("b_upto"),
    )
    .order_by(entries_t.c.seq)
)
_CLEAR = sa.delete(entries_t).where(
    entries_t.c.case_id == sa.bindparam("b_case"), entries_t.c.key == sa.bindparam("b_key")
)
_COLUMNS = ("case_id", "key", "seq", "item")


def _stored_list(items: list[Any], load: Any) -> EntryList:
    """A plain list once stored whole: an entry list of it, already read."""
    out = EntryList(len(items), load)
    out.prime(items)
    return out


def count_of(value: Any) -> int | None:
    """The count a case row stores for an entry list, or None if ``value`` is not one."""
    if isinstance(value, Mapping) and len(value) == 1 and COUNT in value:
        return int(value[COUNT])
    return None


class EntryStore:
    """The entry rows of the cases a unit of work reads and writes."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self._unit = conn.info.get(IN_UNIT)
        """The unit of work this store's connection serves (db/uow.py), if any."""
        self._counted: dict[int, frozenset[str]] = {}
        """The keys the rows of the cases read here count (others have no entry rows)."""

    # -- reading ---------------------------------------------------------------------------

    def attach(self, case_id: int, data: dict[str, Any]) -> None:
        """Put an `EntryList` (read on demand) in place of each count in ``data`` (a case as
        its row has it)."""
        counted = {k: n for k, v in data.items() if (n := count_of(v)) is not None}
        self._counted[case_id] = frozenset(counted)
        for key, n in counted.items():
            data[key] = EntryList(n, self._loader(case_id, key))

    def _loader(self, case_id: int, key: str) -> Any:
        conn, unit = self.conn, self._unit

        def load(n: int) -> list[Any]:
            params = {"b_case": case_id, "b_key": key, "b_upto": n}
            if not conn.closed and conn.info.get(IN_UNIT) is unit:
                return list(conn.execute(_READ, params).scalars())
            # The unit of work has ended (see above): its connection is closed, or kept for
            # another unit of work (db/idle.py).
            with conn.engine.connect() as own:
                return list(own.execute(_READ, params).scalars())

        return load

    def for_cases(self, lo: int, hi: int) -> dict[int, dict[str, list[Any]]]:
        """Every entry of the cases with ids in [lo, hi], by case and key (`verify`)."""
        rows = self.conn.execute(
            sa.select(entries_t.c.case_id, entries_t.c.key, entries_t.c.item)
            .where(entries_t.c.case_id >= lo, entries_t.c.case_id <= hi)
            .order_by(entries_t.c.case_id, entries_t.c.key, entries_t.c.seq)
        )
        out: dict[int, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for case_id, key, item in rows:
            out[case_id][key].append(item)
        return out

    # -- writing ---------------------------------------------------------------------------

    def added(self, case_id: int) -> None:
        """A case inserted just now: it has no entry rows yet."""
        self._counted[case_id] = frozenset()

    def row_data(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """``data`` as the case row stores it: each entry list replaced by its count."""
        out = dict(data)
        for key in ENTRY_KEYS.intersection(data):
            value = data[key]
            if isinstance(value, (EntryList, list)):
                out[key] = {COUNT: len(value)}
        return out

    def write(self, case_id: int, data: dict[str, Any]) -> None:
        """Store what the case's entry lists gained (an `EntryList`'s pending items) or, for a
        list given whole, the list in place of what was stored; ``data`` then holds lists
        with nothing pending, so a second save writes nothing twice."""
        rows = self.taken(case_id, data)
        if rows:
            insert_rows(self.conn, entries_t, _COLUMNS, rows)

    def step_rows(self, case_id: int, data: dict[str, Any]) -> str | None:
        """The rows `write` would insert, as the JSON list ``[[key, seq, item], …]`` the
        SQLite step inserts inside its one statement (db/case_steps.py); None if none."""
        rows = self.taken(case_id, data)
        if not rows:
            return None
        return orjson.dumps([[r["key"], r["seq"], r["item"]] for r in rows]).decode()

    def taken(self, case_id: int, data: dict[str, Any]) -> list[dict[str, Any]]:
        """The entry rows to insert for ``data``, taken out of it (see `write`); a list
        given whole in place of stored rows has them deleted first."""
        rows: list[dict[str, Any]] = []
        for key in ENTRY_KEYS.intersection(data):
            value = data[key]
            if isinstance(value, EntryList):
                start, items = value.stored, value.pending
                if not items:
                    continue
                data[key] = value.saved()
            elif isinstance(value, list):
                if key in self._counted.get(case_id, ENTRY_KEYS):  # rows stored before
                    self.conn.execute(_CLEAR, {"b_case": case_id, "b_key": key})
                start, items = 0, tuple(value)
                data[key] = _stored_list(value, self._loader(case_id, key))
                self._counted[case_id] = self._counted.get(case_id, frozenset()) | {key}
            else:
                continue
            rows.extend(
                {"case_id": case_id, "key": key, "seq": start + i, "item": item}
                for i, item in enumerate(items)
            )
        return rows
