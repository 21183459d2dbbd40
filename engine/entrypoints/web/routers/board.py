"""期限看板 and 期限日历: the open deadlines one may see, overdue first; a month's deadlines
day by day."""

from __future__ import annotations

import calendar as gregorian
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from engine.deadlines import LOCAL_TZ
from engine.domain.errors import InvalidInput
from engine.entrypoints.web.deps import Services, Session, page
from engine.service.board import BoardRow
from engine.service.read_models import BoardQuery

router = APIRouter()


@router.get("/board")
def board(
    request: Request,
    services: Services,
    session: Session,
    procedure: Annotated[str, Query(max_length=64)] = "",
    unit: Annotated[str, Query(max_length=200)] = "",
    inspector: Annotated[str, Query(max_length=64)] = "",
    due_within: Annotated[int | None, Query(ge=0, le=3650)] = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1,
) -> Response:
    rows = services.board.rows(
        BoardQuery(
            procedure=procedure or None,
            unit=unit or None,
            inspector=inspector or None,
            due_within_days=due_within,
            scope=services.queries.scope_of(session.user),
            page=page_no,
            per_page=50,
        )
    )
    context = {
        "rows": rows,
        "params": dict(request.query_params),
        "procedures": services.registry.all_latest(),
        "units": request.app.state.people.units(),
        "inspectors": request.app.state.people.inspectors(),
    }
    hx = request.headers.get("hx-target") == "board-rows"
    return page(request, "board/_rows.html" if hx else "board/board.html", context)


def _month(value: str) -> date:
    try:
        year, month = (int(p) for p in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise InvalidInput("月份", f"「{value}」应为 YYYY-MM") from None


@router.get("/board/calendar")
def month(
    request: Request,
    services: Services,
    session: Session,
    month: Annotated[str, Query(max_length=7)] = "",
) -> Response:
    today = services.clock.now().astimezone(LOCAL_TZ).date()
    first = _month(month) if month else today.replace(day=1)
    last = first.replace(day=gregorian.monthrange(first.year, first.month)[1])
    query = BoardQuery(due_from=first, due_to=last, scope=services.queries.scope_of(session.user))
    days: dict[str, list[BoardRow]] = {}
    for row in services.board.all_rows(query):
        days.setdefault(row.last_day, []).append(row)
    weeks = gregorian.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    calendar = services.context.current_calendar()
    names = {**services.calendar.show_year(first.year).holidays}
    days_off = {d for week in weeks for d in week if not calendar.day_kind(d).is_working}
    context = {
        "first": first,
        "weeks": weeks,
        "days": days,
        "today": today,
        "previous": (first - timedelta(days=1)).strftime("%Y-%m"),
        "next": (last + timedelta(days=1)).strftime("%Y-%m"),
        "holidays": names,
        "days_off": days_off,
    }
    return page(request, "board/calendar.html", context)
