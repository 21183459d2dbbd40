"""The case search's conditions, shared by the case search (db/cases.py) and the deadline
board (db/timers.py): filters the database evaluates on its indexes."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from db.event_ids import of_case
from db.name_search import name_contains
from db.tables import CaseAssigneeRow, CaseRow, HistoryRow
from engine.deadlines import LOCAL_TZ
from engine.domain.visibility import Scope
from engine.service.read_models import CaseQuery

cases_t: sa.Table = CaseRow.__table__  # type: ignore[attr-defined]
history_t: sa.Table = HistoryRow.__table__  # type: ignore[attr-defined]
assignees_t: sa.Table = CaseAssigneeRow.__table__  # type: ignore[attr-defined]
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
_REF = re.compile(r"^[A-Z]{1,6}\d{4}(-\d*)?$")


def case_conditions(query: CaseQuery, dialect: str) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions of a case search (also used by the deadline board); ``dialect``
    picks the name index (db/name_search.py)."""
    where: list[sa.ColumnElement[bool]] = []
    if query.text and query.text.strip():
        where.append(_text_condition(query.text.strip(), dialect))
    if query.procedure:
        where.append(cases_t.c.procedure == query.procedure)
    if query.state:
        where.append(cases_t.c.state == query.state)
    if query.unit:
        where.append(cases_t.c.unit == query.unit)
    if query.inspector:
        where.append(assigned_to(query.inspector))
    if query.open_only:
        where.append(cases_t.c.closed_at.is_(None))
    if query.overdue_only:
        where.append(cases_t.c.overdue.is_(sa.true()))  # literal: matches ix_cases_overdue
    if query.opened_from:
        where.append(cases_t.c.opened_at >= _local_midnight(query.opened_from))
    if query.opened_to:
        where.append(cases_t.c.opened_at < _local_midnight(query.opened_to) + timedelta(days=1))
    if query.scope is not None:
        where.append(scope_condition(query.scope, dialect))
    if query.in_states is not None:
        where.append(_in_states(query.in_states))
    return where


def _in_states(pairs: frozenset[tuple[str, str]]) -> sa.ColumnElement[bool]:
    by_procedure: dict[str, list[str]] = {}
    for procedure, state in sorted(pairs):
        by_procedure.setdefault(procedure, []).append(state)
    grants = [
        sa.and_(cases_t.c.procedure == procedure, cases_t.c.state.in_(states))
        for procedure, states in by_procedure.items()
    ]
    return sa.or_(*grants) if grants else sa.false()


def scope_condition(scope: Scope, dialect: str) -> sa.ColumnElement[bool]:
    """The cases a view allows (engine.domain.visibility), as one OR of its grants
    (``dialect``: the store's, for the events' key)."""
    if scope.everything:
        return sa.true()
    grants: list[sa.ColumnElement[bool]] = []
    if scope.units:
        grants.append(cases_t.c.unit.in_(sorted(scope.units)))
    if scope.assignee:
        grants.append(assigned_to(scope.assignee))
    if scope.states:
        grants.append(_in_states(scope.states))
    if scope.actor:
        grants.append(
            sa.select(history_t.c.id)
            .where(of_case(cases_t.c.id, dialect), history_t.c.actor == scope.actor)
            .exists()
        )
    return sa.or_(*grants) if grants else sa.false()


def assigned_to(user: str, case_id: sa.ColumnElement[int] | None = None) -> sa.ColumnElement[bool]:
    """The case (``case_id``: by default the case row's own id) is assigned to ``user``: a
    probe of the assignees' primary key, so an ordered scan of cases stops at a page."""
    key = cases_t.c.id if case_id is None else case_id
    return (
        sa.select(assignees_t.c.case_id)
        .where(assignees_t.c.case_id == key, assignees_t.c.user_name == user)
        .exists()
    )


def _text_condition(text: str, dialect: str) -> sa.ColumnElement[bool]:
    upper = text.upper()
    if _USCC.match(upper):
        return cases_t.c.subject_uscc == upper
    if _REF.match(upper):
        return sa.and_(cases_t.c.ref >= upper, cases_t.c.ref < upper + "\uffff")
    return name_contains(cases_t, text, dialect)


def _local_midnight(day: Any) -> datetime:
    return datetime.combine(day, time(0), LOCAL_TZ)
