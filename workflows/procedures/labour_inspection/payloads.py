"""Payloads of the labour-inspection procedure."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from workflows.common import DepartmentKey, Payload, Text

MatterKey = Field(
    default=None,
    pattern=r"^[a-z][a-z0-9_]*$",
    max_length=60,
    description="管理事项（职责边界表，见 caseflow matters）",
    examples=["child_labour", "women_workers", "labour_contract", "minors_protection"],
)


class SourceKind(StrEnum):
    """Where a labour-inspection case comes from (劳动保障监察条例第九条、第十四条)."""

    COMPLAINT = "complaint"
    REPORT = "report"
    CAMPAIGN = "campaign"
    PATROL = "patrol"
    WRITTEN_REVIEW = "written_review"
    REFERRAL_IN = "referral_in"

    @property
    def label(self) -> str:
        return {
            "complaint": "投诉",
            "report": "举报",
            "campaign": "专项检查",
            "patrol": "日常巡视检查",
            "written_review": "书面审查",
            "referral_in": "有关部门移送",
        }[self.value]


class Acceptance(Payload):
    source_kind: SourceKind = Field(description="案件来源")
    matter: str | None = MatterKey
    summary: str = Field(default="", max_length=2000, description="立案摘要")
    referred_by: DepartmentKey | None = Field(default=None, description="移送来的部门")


class Rejection(Payload):
    ground: str = Field(min_length=1, max_length=2000, description="不予受理（不予立案）的理由")
    matter: str | None = MatterKey
    refer_to: DepartmentKey | None = Field(default=None, description="有管辖权的部门")


class Findings(Payload):
    violations: Text = Field(description="认定的违法行为")
    facts: Text = Field(description="查明的事实")
    basis: Text = Field(description="违反的法律、法规、规章条款")
    workers: int = Field(default=0, ge=0, description="受侵害的劳动者人数")


class NoViolation(Payload):
    facts: Text = Field(description="调查情况")


class Withdrawal(Payload):
    facts: Text = Field(description="违法情节轻微的事实")
    correction: Text = Field(description="已经改正的情况")
