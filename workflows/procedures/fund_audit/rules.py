"""Guards and effects of the social-insurance fund supervision procedure."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from engine.domain.procedure import GuardContext, guard
from workflows.common import added_to, payload_as, recorded, today
from workflows.procedures.fund_audit.payloads import (
    Deficiencies,
    InspectionNotice,
    Submission,
)

MATTER = "social_insurance_fund"
NOTICE_DAYS = 3
SEED_RULE = "定安县人社局事中事后监管制度三（二）5"


@guard("notice_three_days_ahead", "实施监督3日前通知")
def NOTICE_THREE_DAYS_AHEAD(ctx: GuardContext) -> str | None:
    visit = payload_as(ctx, InspectionNotice).visit_on
    earliest = today(ctx) + timedelta(days=NOTICE_DAYS)
    if visit >= earliest:
        return None
    return (
        f"现场检查日期{visit.isoformat()}过早：须在实施监督{NOTICE_DAYS}日前通知被监督单位，"
        f"最早为{earliest.isoformat()}（{SEED_RULE}（1）①）"
    )


@guard("visit_day_reached", "到了通知的检查日期")
def VISIT_DAY_REACHED(ctx: GuardContext) -> str | None:
    visit = str((ctx.data.get("onsite") or {}).get("visit_on", ""))
    if visit and today(ctx) >= date.fromisoformat(visit):
        return None
    return f"通知的现场检查日期是{visit or '（未通知）'}，不能提前进场"


def visit_on(data: Any) -> str | None:
    """The day of the on-site visit the unit was notified of."""
    return (data.get("onsite") or {}).get("visit_on")


def notified(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, InspectionNotice)
    return {
        "mode": "onsite",
        "onsite": {**p.model_dump(mode="json"), "notified_on": today(ctx).isoformat()},
    }


def deemed_no_objection(ctx: GuardContext) -> dict[str, Any]:
    return {
        "opinion": {
            "deemed_no_objection": True,
            "objections": False,
            "opinion": "被监督单位逾期未提出书面意见，视同无异议",
            "recorded_on": today(ctx).isoformat(),
            "basis": f"{SEED_RULE}（1）③",
        }
    }


def data_requested(ctx: GuardContext) -> dict[str, Any]:
    assert ctx.payload is not None
    offsite = dict(ctx.data.get("offsite") or {})
    request = {**ctx.payload.model_dump(mode="json"), "requested_on": today(ctx).isoformat()}
    if isinstance(ctx.payload, Deficiencies):
        request["resubmission"] = True
    offsite["requests"] = [*offsite.get("requests", []), request]
    return {"mode": "offsite", "offsite": offsite}


def submitted(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Submission)
    offsite = dict(ctx.data.get("offsite") or {})
    offsite["submissions"] = [*offsite.get("submissions", []), p.model_dump(mode="json")]
    return {"offsite": offsite}


@guard("serious_problems", "存在严重违法违纪问题")
def SERIOUS_PROBLEMS(ctx: GuardContext) -> str | None:
    report = ctx.data.get("offsite_report") or {}
    return None if report.get("serious") else "非现场监督报告未认定严重问题"


SEALED = added_to("sealed", dated="sealed_on")
PENALTY_PROPOSED = added_to("penalty_proposals", dated="proposed_on", by="by")
INTERVIEWED = added_to("interviews")
OFFSITE_REPORTED = recorded("offsite_report", dated="reported_on", by=None)
REPORT = recorded("report")
FINAL_REPORT = recorded("final_report")
OPINION = recorded("opinion")
ESCALATION = recorded("escalation")
