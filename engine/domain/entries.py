"""A case's growing lists — the services of its documents (`data["services"]`) and the
payments recorded on it (`data["payments"]`) — kept as rows of their own, not inside the
case row's data.

A case that has served 600 documents and recorded 400 partial payments carried about
0.35 MiB of JSON in its row, read, parsed, re-serialised and rewritten by every command on
the case however small: a command's cost grew with the case (`bench/large_case.py`). These
lists only ever grow at their end, and few commands read them, so the case row keeps a count
(`{"$entries": n}`) and the items live in `case_entries` (one row per item, db/cases.py).

On the command path the repository hands the domain an `EntryList`: its length is known
without reading anything, an item appended (`appended`) is held as pending without reading
the earlier ones, and the earlier ones are read (once, through the loader the repository
gave it) only when something iterates or indexes them — a guard, a template, a check. The
step's history event records the append as before (`{"$append": [item]}`,
engine/domain/data_patch.py), so events and their hashes are what they were.

Nothing here does I/O: the loader is a callable the repository binds to its connection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, overload

ENTRY_KEYS = frozenset({"services", "payments"})
"""The top-level data keys whose lists are stored as entry rows. (A penalty's fine
payments stay inside `data["penalty"]`: a 分期缴纳 decision has a handful of instalments.)"""

COUNT = "$entries"
"""The marker the case row stores in place of an entry list: ``{"$entries": n}``."""

Loader = Callable[[int], list[Any]]
"""Reads the first n stored items of a list."""


class _Origin:
    """What the lists appended from one read share: the stored items, once read."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[Any] | None = None


class EntryList(Sequence[Any]):
    """An append-only list whose first ``stored`` items are read on demand."""

    __slots__ = ("_load", "_origin", "_pending", "_stored")

    def __init__(self, stored: int, load: Loader) -> None:
        self._stored = stored
        self._load = load
        self._origin = _Origin()
        self._pending: tuple[Any, ...] = ()

    @property
    def stored(self) -> int:
        """How many items are already stored as rows."""
        return self._stored

    @property
    def pending(self) -> tuple[Any, ...]:
        """The items appended since the case was read (to be stored by the repository)."""
        return self._pending

    def appended(self, *items: Any) -> EntryList:
        """A new list with ``items`` at its end; nothing stored is read."""
        out = EntryList.__new__(EntryList)
        out._stored, out._load, out._origin = self._stored, self._load, self._origin
        out._pending = (*self._pending, *items)
        return out

    def prime(self, items: list[Any]) -> None:
        """Set the stored items already known (the repository stored them just now)."""
        if len(items) != self._stored:
            raise ValueError("primed with another number of items than stored")
        self._origin.items = list(items)

    def saved(self) -> EntryList:
        """This list once its pending items are stored (the repository's write)."""
        out = EntryList(len(self), self._load)
        if self._origin.items is not None:
            out._origin.items = [*self._origin.items, *self._pending]
        return out

    def extends(self, other: object) -> bool:
        """Whether this list is ``other`` with items appended (without reading either)."""
        if not isinstance(other, EntryList) or other._origin is not self._origin:
            return False
        n = len(other._pending)
        return len(self._pending) >= n and self._pending[:n] == other._pending

    def _stored_items(self) -> list[Any]:
        origin = self._origin
        if origin.items is None:
            items = list(self._load(self._stored))
            if len(items) != self._stored:
                raise RuntimeError(
                    f"entry rows: {len(items)} stored, the case row counts {self._stored}"
                )
            origin.items = items
        return origin.items

    def items(self) -> list[Any]:
        """Every item, stored and pending (the stored ones read once)."""
        return [*self._stored_items(), *self._pending]

    def __len__(self) -> int:
        return self._stored + len(self._pending)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):  # the latest items without reading the stored ones
            if index < 0 and -index <= len(self._pending):
                return self._pending[index]
            if index >= self._stored and index - self._stored < len(self._pending):
                return self._pending[index - self._stored]
        return self.items()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EntryList):
            return self.items() == other.items()
        if isinstance(other, (list, tuple)):
            return len(other) == len(self) and self.items() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"EntryList(stored={self._stored}, pending={len(self._pending)})"


def appended(value: Any, item: Any) -> Any:
    """``value`` (an entry list, a plain list or nothing yet) with ``item`` at its end: for
    an entry list nothing stored is read, so an append costs the same on a case with
    hundreds of items as on a new one."""
    if isinstance(value, EntryList):
        return value.appended(item)
    return [*(value or []), item]


_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """``value`` with every entry list in it read into a plain list (for what is serialised:
    a document's frozen data, a read model)."""
    kind = type(value)
    if kind in _SCALARS:  # most of a notice's data: no ABC check (Mapping's is slow)
        return value
    if kind is dict:
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, EntryList):
        return value.items()
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def plain_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """A case's data with its entry lists read (only the top-level keys can hold one)."""
    return {k: v.items() if isinstance(v, EntryList) else v for k, v in data.items()}
