"""case_assignees is keyed by (user, case) (migration 0019): one b-tree on SQLite, the
inspector's cases and "is X assigned here" both read its primary key, and a save of a
case this repository did not load writes only the difference from the row's own list."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from db.case_search import assigned_to
from db.cases import SqlCaseRepository, assignees_t, cases_t
from engine.bootstrap import App
from engine.service.read_models import CaseQuery
from tests.integration.helpers import open_complaint


def _rows(app: App, case_id: int) -> list[str]:
    with app.db.connect() as conn:
        q = sa.select(assignees_t.c.user_name).where(assignees_t.c.case_id == case_id)
        return sorted(conn.execute(q).scalars())


def test_a_save_without_the_load_writes_the_difference(
    staffed: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = open_complaint(staffed)
    assert case.id is not None
    staffed.cases.assign(case.ref, ["wang", "li"], actor="chen")
    get = SqlCaseRepository.get

    def forgetting(self: SqlCaseRepository, ref: str, **kw: Any) -> Any:
        loaded = get(self, ref, **kw)
        assert loaded.id is not None
        self._assigned.pop(loaded.id, None)  # as if another repository had loaded it
        return loaded

    monkeypatch.setattr(SqlCaseRepository, "get", forgetting)
    staffed.cases.assign(case.ref, ["li", "zhao"], actor="chen")
    assert _rows(staffed, case.id) == ["li", "zhao"]
    monkeypatch.undo()
    staffed.cases.assign(case.ref, ["wang"], actor="chen")
    assert _rows(staffed, case.id) == ["wang"]
    mine = staffed.queries.search(CaseQuery(inspector="wang", open_only=True))
    assert [c.summary.ref for c in mine.items] == [case.ref]
    assert staffed.queries.search(CaseQuery(inspector="li", open_only=True)).total == 0
    assert staffed.integrity.verify().ok


def test_sqlite_keeps_one_b_tree_read_by_its_key(staffed: App) -> None:
    if staffed.db.dialect.name != "sqlite":
        return
    with staffed.db.connect() as conn:
        indexes = conn.exec_driver_sql("PRAGMA index_list(case_assignees)").all()
        assert [r[1] for r in indexes] == ["sqlite_autoindex_case_assignees_1"]
        key = conn.exec_driver_sql("PRAGMA index_info(sqlite_autoindex_case_assignees_1)")
        assert [r[2] for r in key] == ["user_name", "case_id"]
        probe = sa.select(cases_t.c.id).where(assigned_to("wang"))
        sql = str(probe.compile(staffed.db, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "SEARCH case_assignees USING PRIMARY KEY (user_name=? AND case_id=?)" in plan, plan
