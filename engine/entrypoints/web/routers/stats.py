"""统计: the period's figures as charts and tables, and the 台账 workbook to download —
for supervisors (their unit's cases) and the head (every case)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from engine.domain.errors import InvalidInput
from engine.domain.permissions import require_role
from engine.domain.procedure import Actor
from engine.domain.roles import Role
from engine.entrypoints.web import charts
from engine.entrypoints.web.deps import Services, Session, page
from engine.service.auth import CurrentSession
from engine.service.case_figures import local_day
from engine.service.ledger import Ledger

router = APIRouter(prefix="/stats")

READERS = (Role.SUPERVISOR, Role.HEAD)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(services: Services, start: str, end: str) -> tuple[date, date]:
    today = local_day(services.clock.now())
    try:
        first = date.fromisoformat(start) if start else date(today.year, 1, 1)
        last = date.fromisoformat(end) if end else today
    except ValueError:
        raise InvalidInput("统计期间", "日期格式应为 YYYY-MM-DD") from None
    return first, last


def _ledger(services: Services, session: CurrentSession, start: str, end: str) -> Ledger:
    require_role(Actor(session.user.name, session.user.role), READERS, "查看统计和台账")
    first, last = _period(services, start, end)
    return services.ledger.ledger(first, last, services.queries.scope_of(session.user))


Day = Annotated[str, Query(alias="from", max_length=10)]
Until = Annotated[str, Query(alias="to", max_length=10)]


@router.get("")
async def statistics(
    request: Request, services: Services, session: Session, start: Day = "", end: Until = ""
) -> Response:
    ledger = await run_in_threadpool(_ledger, services, session, start, end)
    drawn = await run_in_threadpool(charts.charts, ledger.statistics)
    context = {"ledger": ledger, "stats": ledger.statistics, "charts": drawn}
    return page(request, "stats.html", context)


@router.get("/ledger.xlsx")
async def workbook(
    services: Services, session: Session, start: Day = "", end: Until = ""
) -> Response:
    ledger = await run_in_threadpool(_ledger, services, session, start, end)
    content = await run_in_threadpool(services.ledger.workbook, ledger)
    name = f"台账_{ledger.date_from.isoformat()}_{ledger.date_to.isoformat()}.xlsx"
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    return Response(content, media_type=XLSX, headers=headers)
