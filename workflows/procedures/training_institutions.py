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

from engine.domain.county import DocFamily
from engine.domain.procedure import (
    STAY,
    Branch,
    GuardContext,
    ProcedureDecl,
    StateDecl,
    TriggerDecl,
    branches,
    guard,
)
from workflows.blocks.penalty import PenaltyProcedure
from workflows.blocks.rectification import LABOUR_RECTIFICATION_ORDER, Rectification
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    ENFORCEMENT,
    INSPECTORS,
    NOT_CASE_INSPECTOR,
    SUPERVISORS,
    Payload,
    Text,
    added_to,
    document,
    payload_as,
    recorded,
)

ID = "training_institutions"


class Submission(Payload):
    submitted_on: date = Field(description="报送日期")
    materials: Text = Field(
        description="自查报告、年度检查登记表、基本情况一览表、专职教师情况表等"
    )


class SpotCheck(Payload):
    checked_on: date = Field(description="抽查日期")
    findings: Text = Field(description="抽查情况（依法办学、师资、教学、学籍、收费、招生广告）")


class Result(Payload):
    passed: bool = Field(description="年检是否合格")
    reasons: Text = Field(description="结论和理由")


class Publication(Payload):
    published_on: date = Field(description="公布日期")
    where: Text = Field(default="本局网站", description="公布途径")


@guard("spot_checked", "已组织抽查")
def SPOT_CHECKED(ctx: GuardContext) -> str | None:
    return None if ctx.data.get("spot_checks") else "尚未组织抽查"


@guard("result_passed", "年检合格")
def RESULT_PASSED(ctx: GuardContext) -> str | None:
    return None if payload_as(ctx, Result).passed else "年检不合格"


@guard("result_failed", "年检不合格")
def RESULT_FAILED(ctx: GuardContext) -> str | None:
    return "年检合格" if payload_as(ctx, Result).passed else None


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


RESULT_NOTICE = document(
    kind="annual_inspection_result",
    title="民办职业培训机构年检结果通知书",
    family=DocFamily.INSPECTION,
    abbrev="年",
)
RECTIFICATION = Rectification(
    sources=("failed",),
    document=LABOUR_RECTIFICATION_ORDER,
    basis="《劳动保障监察条例》第二十八条第一款（期限由本县确定）",
    corrected_to="passed",
    not_corrected_to="failed",
)
PENALTY = PenaltyProcedure(sources=("failed",))

STATES = (
    StateDecl(name="self_inspection", label="机构自查（待报送年检材料）"),
    StateDecl(name="reviewing", label="审查材料、组织抽查"),
    StateDecl(name="passed", label="年检合格"),
    StateDecl(name="failed", label="年检不合格（整改、处罚）"),
    *RECTIFICATION.states,
    *PENALTY.states,
    StateDecl(name="published", label="年检结果已公布", final=True),
)

TRIGGERS = (
    TriggerDecl(
        name="record_submission",
        label="登记机构报送的年检材料",
        source="self_inspection",
        dest="reviewing",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Submission,
        effect=recorded("submission"),
    ),
    TriggerDecl(
        name="record_spot_check",
        label="登记抽查情况",
        source="reviewing",
        dest=STAY,
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        payload=SpotCheck,
        effect=added_to("spot_checks"),
    ),
    *branches(
        name="decide_result",
        label="确定年检结论（批准）",
        source="reviewing",
        roles=SUPERVISORS,
        guards=(NOT_CASE_INSPECTOR, SPOT_CHECKED),
        payload=Result,
        effect=recorded("result", dated="decided_on", by=None),
        documents=(RESULT_NOTICE,),
        routes=(
            Branch(guards=(RESULT_PASSED,), dest="passed"),
            Branch(guards=(RESULT_FAILED,), dest="failed"),
        ),
    ),
    *RECTIFICATION.triggers,
    *PENALTY.triggers,
    TriggerDecl(
        name="publish_result",
        label="公布年检结果",
        source=("passed", "failed", "penalty_concluded"),
        dest="published",
        roles=SUPERVISORS,
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
