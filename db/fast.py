"""The command path's hot statements, executed on the driver's cursor.

SQLAlchemy Core spends 25–45 µs of Python per statement (execution context, parameter
processing, result wrapping) against 3–11 µs inside SQLite (bench/peers.py, py-spy). A
`Prepared` statement is still written with Core, and compiled by SQLAlchemy once per
dialect, with its bind and result processors taken from the column types (so aware
datetimes, JSON and booleans go in and come out exactly as through Core); each call then
only processes its parameters and runs the driver's cursor, inside the unit of work's
connection and transaction. Listeners of `before_cursor_execute` still see every statement
(bench/peers.py counts them so), and driver errors are raised as SQLAlchemy's (an
`IntegrityError` stays an `IntegrityError`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import BindParameter

_Processor = Callable[[Any], Any] | None


class Columns:
    """Keys and result processors of some selected columns, as `mapped` reads a row: the
    keys zipped with the row in one C-level step, then only the processed columns
    converted (most of a case's columns need no processing)."""

    __slots__ = ("keys", "processed")

    def __init__(self, columns: Sequence[tuple[str, _Processor]]) -> None:
        self.keys = tuple(k for k, _ in columns)
        self.processed = tuple((i, k, p) for i, (k, p) in enumerate(columns) if p is not None)


_REQUIRED = object()
"""A bind parameter the caller must give (a `bindparam` without a value, an inserted column)."""


class _Plan:
    __slots__ = ("binds", "names", "positional", "processed", "required", "results", "sql")

    def __init__(self, stmt: sa.Executable, dialect: Dialect, keys: Sequence[str] | None) -> None:
        compiled = stmt.compile(  # type: ignore[attr-defined]
            dialect=dialect, column_keys=list(keys) if keys is not None else None
        )
        self.sql = compiled.string
        if "POSTCOMPILE" in self.sql:
            raise ValueError("a prepared statement cannot expand IN lists: use OR or ANY")
        self.positional = bool(compiled.positional)
        by_name: dict[str, BindParameter[Any]] = {
            name: bp for bp, name in compiled.bind_names.items()
        }
        order = list(compiled.positiontup or []) if self.positional else list(by_name)
        self.binds: list[tuple[str, Any, _Processor]] = []
        for name in order:
            bp = by_name[name]
            proc = bp.type.dialect_impl(dialect).bind_processor(dialect)
            needed = bp.required or (keys is not None and name in keys)
            self.binds.append((name, _REQUIRED if needed else bp.effective_value, proc))
        self.required = frozenset(name for name, literal, _ in self.binds if literal is _REQUIRED)
        self.names = [(name, literal) for name, literal, _ in self.binds]
        self.processed = [(i, proc) for i, (_, _, proc) in enumerate(self.binds) if proc]
        self.results: list[tuple[str, _Processor]] = []
        if isinstance(stmt, sa.Select):
            for col in stmt.selected_columns:
                impl = col.type.dialect_impl(dialect)
                self.results.append((str(col.key), impl.result_processor(dialect, None)))

    def params(self, values: Mapping[str, Any]) -> Any:
        """The driver's parameters: the caller's value of each bind (by its name: a
        `bindparam`'s or an inserted column's key), else the statement's own literal."""
        if not self.required <= values.keys():
            missing = sorted(self.required - values.keys())
            raise KeyError(f"no value for the bind parameter {missing[0]!r}")
        get = values.get
        out = [get(name, literal) for name, literal in self.names]
        for i, proc in self.processed:  # only the binds whose type processes its values
            if (v := out[i]) is not None:
                out[i] = proc(v)
        if self.positional:
            return tuple(out)
        return {name: v for (name, _), v in zip(self.names, out, strict=True)}


class Prepared:
    """A Core statement compiled once per dialect (and set of inserted columns), executed
    on the DBAPI cursor of a SQLAlchemy connection."""

    def __init__(self, stmt: sa.Executable, *, keys: Sequence[str] | None = None) -> None:
        self.stmt = stmt
        self.keys = tuple(keys) if keys is not None else None
        self._plans: dict[Dialect, _Plan] = {}
        self._columns: dict[tuple[Dialect, int, int | None, str], Columns] = {}

    def _plan(self, dialect: Dialect) -> _Plan:
        plan = self._plans.get(dialect)
        if plan is None:
            plan = self._plans[dialect] = _Plan(self.stmt, dialect, self.keys)
        return plan

    def execute(self, conn: sa.Connection, values: Mapping[str, Any]) -> Any:
        """Run the statement; returns the driver's cursor (rowcount, fetchone)."""
        plan = self._plan(conn.dialect)
        return _run(conn, plan.sql, plan.params(values), many=False)

    def executemany(self, conn: sa.Connection, rows: Iterable[Mapping[str, Any]]) -> Any:
        plan = self._plan(conn.dialect)
        return _run(conn, plan.sql, [plan.params(r) for r in rows], many=True)

    def scalar(self, conn: sa.Connection, values: Mapping[str, Any]) -> Any:
        """The first column of the first row (e.g. an id from RETURNING)."""
        plan = self._plan(conn.dialect)
        row = _run(conn, plan.sql, plan.params(values), many=False).fetchone()
        if row is None:
            raise sa.exc.NoResultFound("no row returned")
        proc = plan.results[0][1] if plan.results else None
        return proc(row[0]) if proc is not None else row[0]

    def rows(self, conn: sa.Connection, values: Mapping[str, Any]) -> list[Any]:
        """Every row as the driver returns it (unprocessed: see `processed`)."""
        plan = self._plan(conn.dialect)
        return list(_run(conn, plan.sql, plan.params(values), many=False).fetchall())

    def columns(
        self, conn: sa.Connection, start: int = 0, stop: int | None = None, prefix: str = ""
    ) -> Columns:
        """Keys and result processors of the selected columns ``start:stop`` (their keys
        without ``prefix``), for `mapped`: worked out once per dialect."""
        key = (conn.dialect, start, stop, prefix)
        found = self._columns.get(key)
        if found is None:
            results = self._plan(conn.dialect).results[start:stop]
            found = self._columns[key] = Columns([(k.removeprefix(prefix), p) for k, p in results])
        return found

    def processed(
        self, conn: sa.Connection, row: Sequence[Any], start: int = 0, stop: int | None = None
    ) -> dict[str, Any]:
        """Columns ``start:stop`` of a row from `rows`, by key, processed as Core would."""
        return mapped(self.columns(conn, start, stop), row[start:stop])

    def first(self, conn: sa.Connection, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """The first row as a dict by column key, its values processed as Core would."""
        plan = self._plan(conn.dialect)
        row = _run(conn, plan.sql, plan.params(values), many=False).fetchone()
        return None if row is None else mapped(self.columns(conn), row)


def mapped(columns: Columns, row: Sequence[Any]) -> dict[str, Any]:
    """A row of `Prepared.rows` (from the columns' start) by key, processed as Core would."""
    out = dict(zip(columns.keys, row, strict=False))
    n = len(row)
    for i, key, proc in columns.processed:
        if i < n:  # a shorter row (zip's end) leaves the rest out
            out[key] = proc(row[i])
    return out


def run_sql(conn: sa.Connection, sql: str) -> None:
    """A statement without parameters (SAVEPOINT, RELEASE) on the driver's cursor."""
    _run(conn, sql, (), many=False).close()


def _run(conn: sa.Connection, sql: str, params: Any, *, many: bool) -> Any:
    dbapi_conn = conn.connection.dbapi_connection
    assert dbapi_conn is not None
    cursor = dbapi_conn.cursor()
    conn.dispatch.before_cursor_execute(conn, cursor, sql, params, None, many)
    dialect = conn.dialect
    try:
        if many:
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)
    except dialect.loaded_dbapi.Error as exc:
        if dialect.is_disconnect(exc, dbapi_conn, cursor):
            conn.invalidate(exc)
        raise sa.exc.DBAPIError.instance(
            sql, params, exc, dialect.loaded_dbapi.Error, dialect=dialect
        ) from exc
    return cursor


_ROWS: dict[tuple[str, tuple[str, ...], int], Prepared] = {}


def insert_rows(
    conn: sa.Connection, table: sa.Table, keys: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert rows in one statement (one round trip): a single-row INSERT, or a multi-row
    VALUES list prepared once per row count (the driver's executemany costs a pipeline
    per call on psycopg)."""
    if not rows:
        return
    n = len(rows)
    key = (table.name, tuple(keys), n)
    prepared = _ROWS.get(key)
    if prepared is None:
        if n == 1:
            prepared = Prepared(sa.insert(table), keys=keys)
        else:
            values = [
                {k: sa.bindparam(f"{k}__{i}", type_=table.c[k].type) for k in keys}
                for i in range(n)
            ]
            prepared = Prepared(sa.insert(table).values(values))
        _ROWS[key] = prepared
    if n == 1:
        prepared.execute(conn, rows[0])
    else:
        prepared.execute(conn, {f"{k}__{i}": row[k] for i, row in enumerate(rows) for k in keys})
