"""我的待办: what a person has to do — the cases assigned to them with their next deadline
(overdue first), what waits for their approval or review, and their latest notifications."""

from __future__ import annotations

from dataclasses import dataclass

from engine.domain.users import User
from engine.service.board import BoardRow, DeadlineBoard
from engine.service.case_queries import CaseListing, CaseQueries
from engine.service.context import ServiceContext
from engine.service.read_models import MAX_PER_PAGE, BoardQuery, CaseQuery, Notification

MAX_ROWS = 200
RECENT_NOTIFICATIONS = 10


@dataclass(frozen=True)
class InboxRow:
    case: CaseListing
    deadline: BoardRow | None
    """The case's most urgent running deadline, if it has one."""


@dataclass(frozen=True)
class Inbox:
    mine: list[InboxRow]
    waiting: list[CaseListing]
    waiting_total: int
    notifications: list[Notification]


class InboxService:
    def __init__(self, ctx: ServiceContext, queries: CaseQueries, board: DeadlineBoard) -> None:
        self.ctx = ctx
        self.queries = queries
        self.board = board

    def for_user(self, user: User) -> Inbox:
        assigned = self.queries.search(
            CaseQuery(inspector=user.name, open_only=True, per_page=MAX_ROWS)
        ).items
        urgent: dict[str, BoardRow] = {}
        if assigned:
            rows = self.board.rows(BoardQuery(inspector=user.name, per_page=MAX_PER_PAGE))
            for row in rows.items:
                urgent.setdefault(row.case_ref, row)
        mine = [InboxRow(c, urgent.get(c.summary.ref)) for c in assigned]
        mine.sort(key=_urgency)
        waiting = self.queries.search(
            CaseQuery(
                scope=self.queries.scope_of(user),
                in_states=self.ctx.registry.waiting_for(user.role),
                open_only=True,
                per_page=MAX_ROWS,
            )
        )
        with self.ctx.uow(readonly=True) as uow:
            notes = uow.notifications.recent(user.name, RECENT_NOTIFICATIONS)
        return Inbox(mine, waiting.items, waiting.total, notes)


def _urgency(row: InboxRow) -> tuple[int, float]:
    """Overdue first, then by due time; cases without a running deadline last."""
    if row.deadline is None:
        return (2, 0.0)
    group = 0 if row.deadline.overdue else 1
    return (group, row.deadline.due_at.timestamp())
