"""Annual inspection of private vocational training institutions 民办职业培训机构年检
(`training_institutions`).

Ding'an rules 三（四）: the institution inspects itself and submits its report, forms and
licence → the bureau checks samples on site and reviews the materials → passes, or fails:
rectification with a deadline, or a penalty (劳动保障监察条例第二十八条: correction,
confiscation, a fine of 10,000–50,000 yuan, in serious cases revocation of the licence) →
the result is published → closed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from engine.domain.procedure import (
    DocumentDecl,
    GuardContext,
    ProcedureDecl,
    StateDecl,
    TriggerDecl,
)
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    ENFORCEMENT,
    INSPECTORS,
    NOT_CASE_INSPECTOR,
    SUPERVISORS,
    Payload,
    Text,
    guard,
    payload_as,
    recorded,
    today,
)
from workflows.penalty import PenaltyProcedure
from workflows.rectification import Rectification

ID = "training_institutions"


class Submission(Payload):
    submitted_on: date = Field(description="报送日期")
    materials: Text = Field(
        description="自查报告、年度检查登记表、基本情况一览表、专职教师情况表等"
    )


class SpotCheck(Payload):
    checked_on: date
    findings: Text = Field(description="抽查情况（依法办学、师资、教学、学籍、收费、招生广告）")


class Result(Payload):
    passed: bool = Field(description="年检是否合格")
    reasons: Text = Field(description="结论和理由")


class Publication(Payload):
    published_on: date
    where: Text = Field(default="本局网站", description="公布途径")


@guard("spot_checked", "已组织抽查")
def _spot_checked(ctx: GuardContext) -> str | None:
    return None if ctx.data.get("spot_checks") else "尚未组织抽查"


@guard("result_passed", "年检合格")
def _passed(ctx: GuardContext) -> str | None:
    return None if payload_as(ctx, Result).passed else "年检不合格"


@guard("result_failed", "年检不合格")
def _failed(ctx: GuardContext) -> str | None:
    return "年检合格" if payload_as(ctx, Result).passed else None


def _spot_check(ctx: GuardContext) -> dict[str, Any]:
    item = payload_as(ctx, SpotCheck).model_dump(mode="json")
    return {"spot_checks": [*ctx.data.get("spot_checks", []), item]}


def _result(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Result)
    return {"result": {**p.model_dump(mode="json"), "decided_on": today(ctx).isoformat()}}


def _published(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, Publication)
    result = dict(ctx.data.get("result") or {})
    corrected = bool((ctx.data.get("rectification") or {}).get("corrected"))
    return {
        "publication": {
            **p.model_dump(mode="json"),
            "passed": bool(result.get("passed")) or corrected,
        }
    }


RESULT_NOTICE = DocumentDecl(
    "annual_inspection_result",
    "民办职业培训机构年检结果通知书",
    "annual_inspection_result.html.j2",
    "inspection",
    "年",
)
RECTIFICATION_ORDER = DocumentDecl(
    "rectification_order",
    "劳动保障监察限期改正指令书",
    "labour_rectification_order.html.j2",
    abbrev="令",
)
RECTIFICATION = Rectification(
    sources=("failed",),
    document=RECTIFICATION_ORDER,
    basis="《劳动保障监察条例》第二十八条第一款（期限由本县确定）",
    corrected_to="passed",
    not_corrected_to="failed",
)
PENALTY = PenaltyProcedure(sources=("failed",))

STATES = (
    StateDecl("self_inspection", "机构自查（待报送年检材料）"),
    StateDecl("reviewing", "审查材料、组织抽查"),
    StateDecl("passed", "年检合格"),
    StateDecl("failed", "年检不合格（整改、处罚）"),
    *RECTIFICATION.states,
    *PENALTY.states,
    StateDecl("published", "年检结果已公布", final=True),
)

TRIGGERS = (
    TriggerDecl(
        "record_submission",
        "登记机构报送的年检材料",
        "self_inspection",
        "reviewing",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Submission,
        effect=recorded("submission"),
    ),
    TriggerDecl(
        "record_spot_check",
        "登记抽查情况",
        "reviewing",
        None,
        INSPECTORS,
        guards=ENFORCEMENT,
        payload=SpotCheck,
        effect=_spot_check,
    ),
    TriggerDecl(
        "decide_result",
        "确定年检结论（批准）",
        "reviewing",
        "passed",
        SUPERVISORS,
        guards=(NOT_CASE_INSPECTOR, _spot_checked, _passed),
        payload=Result,
        effect=_result,
        documents=(RESULT_NOTICE,),
    ),
    TriggerDecl(
        "decide_result",
        "确定年检结论（批准）",
        "reviewing",
        "failed",
        SUPERVISORS,
        guards=(NOT_CASE_INSPECTOR, _spot_checked, _failed),
        payload=Result,
        effect=_result,
        documents=(RESULT_NOTICE,),
    ),
    *RECTIFICATION.triggers,
    *PENALTY.triggers,
    TriggerDecl(
        "publish_result",
        "公布年检结果",
        ("passed", "failed", "penalty_concluded"),
        "published",
        SUPERVISORS,
        payload=Publication,
        effect=_published,
    ),
)

PROCEDURE = ProcedureDecl(
    id=ID,
    version=1,
    title="民办职业培训机构年度检查",
    initial="self_inspection",
    states=STATES,
    triggers=TRIGGERS,
    description="机构自查、组织抽查、确定年检结论，对不合格的责令整改或依法处罚，公布年检结果",
    case_prefix="TI",
)
