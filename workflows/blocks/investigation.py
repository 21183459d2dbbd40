"""The investigation the enforcement procedures share: started from an accepted case by two
inspectors, 60 working days from 立案 with one 30-day extension approved by the bureau's
负责人 who did not investigate (劳动保障监察条例第十七条), and suspension while it cannot go
on."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from pydantic import Field

from engine.deadlines import LOCAL_TZ, LayeredCalendar, Pause, Period, Unit, compute_deadline
from engine.domain.county import DocFamily
from engine.domain.procedure import (
    STAY,
    Anchor,
    DocumentDecl,
    Effect,
    Guard,
    GuardContext,
    StateDecl,
    TimerDecl,
    TimerExtension,
    TriggerDecl,
    guard,
)
from engine.domain.roles import Role
from workflows.common import (
    ENFORCEMENT,
    HEAD,
    INSPECTORS,
    NOT_CASE_INSPECTOR,
    SUPERVISORS,
    Payload,
    document,
    today,
)

INVESTIGATION_PERIOD = Period(60, Unit.WORKING_DAYS)


def accepted_on(data: Mapping[str, Any]) -> str | None:
    """The day of 立案 (recorded by the procedure's acceptance)."""
    return data.get("accepted_on") or None


FROM_ACCEPTANCE = Anchor(event="立案日期", data=accepted_on)
INVESTIGATION_WINDOW = TimerDecl(
    name="investigation",
    label="案件调查期限",
    period=INVESTIGATION_PERIOD,
    # "自立案之日起60个工作日内完成" (条例第十七条): from 立案, whether or not the
    # investigation has started; the same window runs in 已立案 and 调查中.
    basis="《劳动保障监察条例》第十七条",
    anchor=FROM_ACCEPTANCE,
)
EXTENSION_APPROVAL = document(
    kind="extension_approval",
    title="案件延期审批表",
    family=DocFamily.INSPECTION,
    abbrev="延",
)
INVESTIGATING = StateDecl(name="investigating", label="调查中", timers=(INVESTIGATION_WINDOW,))


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
    """The last day of the 60 working days from 立案, counted as the investigation timer
    counts them (pauses included; the statutory calendar, see ``workflows.common.due_date``):
    the running window of the case when there is one."""
    if "investigation" in ctx.windows:
        return ctx.windows["investigation"].last_day
    accepted = accepted_on(ctx.data)
    if not accepted:
        return None
    pauses = tuple(
        Pause(date.fromisoformat(p["start"]), date.fromisoformat(p["end"]) if p["end"] else None)
        for p in _pauses(ctx)
    )
    deadline = compute_deadline(
        datetime.combine(date.fromisoformat(accepted), time(12), LOCAL_TZ),
        INVESTIGATION_PERIOD,
        LayeredCalendar(),
        pauses=pauses,
    )
    return None if deadline.paused else deadline.last_day


@guard("investigation_running", "调查期限尚未届满")
def INVESTIGATION_RUNNING(ctx: GuardContext) -> str | None:
    last = investigation_last_day(ctx)
    if last is None or today(ctx) <= last:
        return None
    return f"调查期限已于{last.isoformat()}届满，不能再延长（劳动保障监察条例第十七条）"


def _approved(
    *,
    name: str,
    label: str,
    roles: frozenset[Role] = SUPERVISORS,
    guards: tuple[Guard, ...] = (NOT_CASE_INSPECTOR,),
    effect: Effect | None = None,
    documents: tuple[DocumentDecl, ...] = (),
    extends: TimerExtension | None = None,
    pauses_clock: bool = False,
    resumes_clock: bool = False,
) -> TriggerDecl:
    """A change to the investigation's clock: approved, with the reason, by someone who
    did not investigate (a supervisor unless ``roles`` says otherwise); the case stays
    under investigation."""
    return TriggerDecl(
        name=name,
        label=label,
        source="investigating",
        dest=STAY,
        roles=roles,
        guards=guards,
        payload=Approval,
        reason_required=True,
        effect=effect,
        documents=documents,
        extends=extends,
        pauses_clock=pauses_clock,
        resumes_clock=resumes_clock,
    )


INVESTIGATION_TRIGGERS = (
    TriggerDecl(
        name="start_investigation",
        label="开始调查",
        source="accepted",
        dest="investigating",
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        effect=investigation_started,
    ),
    _approved(
        name="extend_investigation",
        label="延长调查期限（负责人批准）",
        # 条例第十七条: "经劳动保障行政部门负责人批准，可以延长30个工作日".
        roles=HEAD,
        guards=(NOT_CASE_INSPECTOR, INVESTIGATION_RUNNING),
        extends=TimerExtension(timer="investigation", period=Period(30, Unit.WORKING_DAYS)),
        documents=(EXTENSION_APPROVAL,),
    ),
    _approved(name="suspend", label="中止调查（批准）", effect=_suspended, pauses_clock=True),
    _approved(name="resume", label="恢复调查（批准）", effect=_resumed, resumes_clock=True),
)
"""Start the investigation of an accepted case; extend it (once, 30 working days, before
the 60 from 立案 run out, approved by the 负责人), suspend and resume it."""
