"""Payloads of the penalty procedure (workflows.blocks.penalty) and the late-surcharge rule."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from workflows.common import FEN, Evidence, EvidenceKind, Name, Payload, PositiveYuan, Text, Yuan

SURCHARGE_PER_DAY = Decimal("0.03")
"""行政处罚法第七十二条第一款第一项：每日按罚款数额的百分之三加处罚款。"""


def late_surcharge(fine: Decimal, days_late: int) -> Decimal:
    """The late surcharge after ``days_late`` days: 3 % of the fine a day, at most the fine."""
    if days_late <= 0 or fine <= 0:
        return Decimal("0.00")
    accrued = (fine * SURCHARGE_PER_DAY * days_late).quantize(FEN, ROUND_HALF_UP)
    return min(accrued, fine.quantize(FEN, ROUND_HALF_UP))


class PenaltyNotice(Payload):
    facts: Text = Field(description="违法事实")
    evidence: Text = Field(description="证据")
    basis: Text = Field(
        description="违反的规定（违法行为违反的法律条款）",
        examples=["《劳动保障监察条例》第十一条第八项"],
    )
    penalty_basis: Text = Field(
        description="处罚依据（作出处罚所依据的法律条款，第五十九条第一款第三项）",
        examples=["《劳动保障监察条例》第二十八条第一款"],
    )
    proposed_fine: Yuan = Field(description="拟处罚款（元）；没有罚款的填 0")
    other_measures: str = Field(
        default="", max_length=1000, description="其他拟处罚（警告、吊销等）"
    )
    hearing_right: bool = Field(description="是否属于应告知听证权利的情形（第六十三条）")
    complex_or_major: bool = Field(
        default=False,
        description="情节复杂或者重大违法行为（须经负责人集体讨论决定，第五十七条第二款）",
    )


class Statement(Payload):
    statement: Text = Field(description="当事人陈述、申辩的事实、理由和证据")
    review: Text = Field(description="复核意见")
    adopted: bool = Field(description="是否采纳")


class HearingRequest(Payload):
    requested_on: date = Field(description="当事人提出听证要求的日期")


class Waiver(Payload):
    note: Text = Field(description="当事人放弃陈述申辩和听证的书面意见")


class HearingNotice(Payload):
    hearing_on: date = Field(description="听证日期")
    place: Name = Field(description="听证地点")
    host: Name = Field(
        description="听证主持人（用户名，非本案调查人员；文书印其姓名）", examples=["chen"]
    )


class HearingRecord(Payload):
    held_on: date = Field(description="听证日期")
    party_attended: bool = Field(description="当事人是否出席（无正当理由不出席视为放弃）")
    summary: Text = Field(description="听证笔录摘要")
    record_signed: bool = Field(description="笔录经当事人核对签字（拒签的由主持人注明）")


class LegalReview(Payload):
    passed: bool = Field(description="审核是否通过")
    opinion: Text = Field(description="法制审核意见")
    complex_or_major: bool = Field(
        default=False,
        description="认定为情节复杂或者重大违法行为（须经负责人集体讨论决定）",
    )


class PenaltyDecision(Payload):
    fine: Yuan = Field(description="罚款（元）；没有罚款的填 0")
    other_measures: str = Field(default="", max_length=1000, description="其他处罚")
    reasons: Text = Field(description="处罚理由（含对陈述申辩、听证意见的采纳情况）")
    discussed_on: date | None = Field(
        default=None, description="负责人集体讨论日期（情节复杂或者重大违法行为必填）"
    )
    discussion_participants: str = Field(
        default="", max_length=500, description="集体讨论参加人（姓名，以、分隔）"
    )
    discussion_conclusion: str = Field(default="", max_length=2000, description="集体讨论结论")

    @property
    def participants(self) -> list[str]:
        names = self.discussion_participants.replace("，", "、").replace(",", "、")
        return [n.strip() for n in names.split("、") if n.strip()]


class ServiceMethod(StrEnum):
    DIRECT = "direct"
    LEFT_AT_PREMISES = "left_at_premises"
    POST = "post"
    ELECTRONIC = "electronic"
    POSTING = "posting"

    @property
    def label(self) -> str:
        return {
            "direct": "直接送达",
            "left_at_premises": "留置送达",
            "post": "邮寄送达",
            "electronic": "电子送达（当事人同意）",
            "posting": "张贴送达",
        }[self.value]


class Service(Payload):
    served_on: date = Field(description="送达日期")
    method: ServiceMethod = Field(description="送达方式")
    recipient: str = Field(default="", max_length=200, description="签收人")
    evidence: list[Evidence] = Field(default_factory=list, description="送达凭证（照片、录像）")

    @model_validator(mode="after")
    def _posting_is_recorded(self) -> Service:
        if self.method in (ServiceMethod.POSTING, ServiceMethod.LEFT_AT_PREMISES) and not any(
            e.kind in (EvidenceKind.PHOTO, EvidenceKind.VIDEO) for e in self.evidence
        ):
            raise ValueError("张贴、留置送达须有拍照或录像记录")
        return self


class FinePayment(Payload):
    amount: PositiveYuan = Field(description="缴纳金额（元，含加处罚款）")
    paid_on: date = Field(description="缴纳日期")
    receipt: str = Field(default="", max_length=200, description="缴款凭证号")


class RemedyFiled(Payload):
    kind: Literal["reconsideration", "lawsuit"] = Field(
        description="行政复议或行政诉讼",
        json_schema_extra={"choices": {"reconsideration": "行政复议", "lawsuit": "行政诉讼"}},
    )
    filed_on: date = Field(description="申请复议或提起诉讼的日期")
    body: Name = Field(description="复议机关或人民法院")


class RemedyOutcome(Payload):
    outcome: Literal["upheld", "varied", "revoked"] = Field(
        description="维持、变更或撤销",
        json_schema_extra={"choices": {"upheld": "维持", "varied": "变更", "revoked": "撤销"}},
    )
    decided_on: date = Field(description="复议决定或判决的日期")
    summary: Text = Field(description="复议决定或判决的要点")
    fine: Yuan | None = Field(default=None, description="变更后的罚款（元）")

    @model_validator(mode="after")
    def _varied_has_fine(self) -> RemedyOutcome:
        if self.outcome == "varied" and self.fine is None:
            raise ValueError("变更处罚的，须填写变更后的罚款")
        return self


class EnforcementApplication(Payload):
    court: Name = Field(description="受理申请的人民法院")
    note: str = Field(default="", max_length=2000, description="申请说明")


class CourtRuling(Payload):
    ruling: Literal["enforce", "refuse"] = Field(
        description="准予执行或不予执行",
        json_schema_extra={"choices": {"enforce": "准予执行", "refuse": "不予执行"}},
    )
    ruled_on: date = Field(description="裁定日期")
    summary: Text = Field(description="裁定要点")
