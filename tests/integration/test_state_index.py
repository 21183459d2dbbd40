"""A case's procedure and state share one index (ix_cases_procedure_state, migration 0018):
the search by procedure, by procedure and state, by state alone (once per procedure that
has the state) and the inbox's (procedure, state) pairs all read it, and find the same
cases as a plain filter would."""

from __future__ import annotations

import sqlalchemy as sa

from db.case_search import case_conditions
from db.cases import cases_t
from engine.bootstrap import App
from engine.service.read_models import CaseQuery
from tests.integration.helpers import open_complaint


def _plan(app: App, query: CaseQuery) -> str:
    sql = sa.select(cases_t.c.id).where(*case_conditions(query, app.db.dialect.name))
    compiled = sql.compile(app.db, compile_kwargs={"literal_binds": True})
    with app.db.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
    return "\n".join(str(r[-1]) for r in rows)


def test_a_search_by_state_alone_finds_the_cases_in_it(staffed: App) -> None:
    accepted = [open_complaint(staffed) for _ in range(3)]
    for case in accepted[:2]:
        staffed.cases.fire(case.ref, "accept", {"summary": "受理"}, actor="wang")
    found = staffed.queries.search(CaseQuery(state="accepted"))
    assert sorted(c.summary.ref for c in found.items) == sorted(c.ref for c in accepted[:2])
    assert found.total == 2
    both = staffed.queries.search(CaseQuery(procedure="wage_arrears", state="accepted"))
    assert both.total == 2
    assert staffed.queries.search(CaseQuery(state="no_such_state")).total == 0
    pairs = staffed.registry.with_state("accepted")
    assert ("wage_arrears", "accepted") in pairs
    assert all("accepted" in staffed.registry.latest(p).states for p, _ in pairs)


def test_the_searches_read_the_procedure_state_index(staffed: App) -> None:
    if staffed.db.dialect.name != "sqlite":  # PostgreSQL's planner picks by its statistics
        return
    queries = [
        CaseQuery(procedure="wage_arrears"),
        CaseQuery(procedure="wage_arrears", state="accepted"),
        CaseQuery(in_states=staffed.registry.with_state("accepted")),
        CaseQuery(in_states=frozenset({("wage_arrears", "accepted"), ("fund_audit", "x")})),
    ]
    for query in queries:
        plan = _plan(staffed, query)
        assert "ix_cases_procedure_state" in plan and "SCAN cases" not in plan, plan
