"""The investigation clock the enforcement procedures share: the intake decision on a
complaint, the 60-working-day investigation with one 30-day extension approved by someone
who did not investigate (劳动保障监察条例第十七条), and suspension while it cannot go on."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from engine.deadlines import LayeredCalendar, Pause, Period, Unit, compute_deadline
from engine.domain.procedure import (
    DocumentDecl,
    GuardContext,
    TimerDecl,
    TimerExtension,
    TriggerDecl,
)
from workflows.common import NOT_CASE_INSPECTOR, SUPERVISORS, Payload, guard, today

INTAKE_WINDOW = TimerDecl(
    "intake_decision",
    "受理决定期限",
    Period(5, Unit.WORKING_DAYS),
    "《关于实施〈劳动保障监察条例〉若干规定》第十八条",
)
INVESTIGATION_PERIOD = Period(60, Unit.WORKING_DAYS)
INVESTIGATION_WINDOW = TimerDecl(
    "investigation",
    "案件调查期限",
    INVESTIGATION_PERIOD,
    "《劳动保障监察条例》第十七条",
)
EXTENSION_APPROVAL = DocumentDecl(
    "extension_approval", "案件延期审批表", "extension_approval.html.j2", abbrev="延"
)


class Approval(Payload):
    approved_by_note: str = Field(default="", max_length=500, description="审批意见")


def investigation_started(ctx: GuardContext) -> dict[str, Any]:
    """The effect of starting the investigation: when, so the deadline can be checked."""
    return {"investigation": {"started_at": ctx.now.isoformat(), "pauses": []}}


def _pauses(ctx: GuardContext) -> list[dict[str, Any]]:
    return [dict(p) for p in (ctx.data.get("investigation") or {}).get("pauses", [])]


def _suspended(ctx: GuardContext) -> dict[str, Any]:
    pauses = [*_pauses(ctx), {"start": today(ctx).isoformat(), "end": None}]
    return {"investigation": {**dict(ctx.data.get("investigation") or {}), "pauses": pauses}}


def _resumed(ctx: GuardContext) -> dict[str, Any]:
    pauses = _pauses(ctx)
    if pauses and pauses[-1]["end"] is None:
        pauses[-1]["end"] = max(today(ctx).isoformat(), pauses[-1]["start"])
    return {"investigation": {**dict(ctx.data.get("investigation") or {}), "pauses": pauses}}


def investigation_last_day(ctx: GuardContext) -> date | None:
    """The last day of the 60 working days, counted as the investigation timer counts them
    (pauses included; the statutory calendar, see ``common.due_date``)."""
    started = (ctx.data.get("investigation") or {}).get("started_at")
    if not started:
        return None
    pauses = tuple(
        Pause(date.fromisoformat(p["start"]), date.fromisoformat(p["end"]) if p["end"] else None)
        for p in _pauses(ctx)
    )
    deadline = compute_deadline(
        datetime.fromisoformat(started), INVESTIGATION_PERIOD, LayeredCalendar(), pauses=pauses
    )
    return None if deadline.paused else deadline.last_day


@guard("investigation_running", "调查期限尚未届满")
def _in_time(ctx: GuardContext) -> str | None:
    last = investigation_last_day(ctx)
    if last is None or today(ctx) <= last:
        return None
    return f"调查期限已于{last.isoformat()}届满，不能再延长（劳动保障监察条例第十七条）"


def clock_triggers(state: str) -> tuple[TriggerDecl, ...]:
    """Extend (once, 30 working days, before the 60 run out), suspend and resume the
    investigation in ``state``. The state's entry must record ``investigation_started``."""
    approve = (NOT_CASE_INSPECTOR,)
    return (
        TriggerDecl(
            "extend_investigation",
            "延长调查期限（批准）",
            state,
            None,
            SUPERVISORS,
            guards=(*approve, _in_time),
            payload=Approval,
            reason_required=True,
            extends=TimerExtension("investigation", Period(30, Unit.WORKING_DAYS)),
            documents=(EXTENSION_APPROVAL,),
        ),
        TriggerDecl(
            "suspend",
            "中止调查（批准）",
            state,
            None,
            SUPERVISORS,
            guards=approve,
            payload=Approval,
            reason_required=True,
            effect=_suspended,
            pauses_clock=True,
        ),
        TriggerDecl(
            "resume",
            "恢复调查（批准）",
            state,
            None,
            SUPERVISORS,
            guards=approve,
            payload=Approval,
            reason_required=True,
            effect=_resumed,
            resumes_clock=True,
        ),
    )
