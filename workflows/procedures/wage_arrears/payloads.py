"""Payloads of the wage-arrears procedure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import Field, model_validator

from workflows.blocks.penalty.payloads import Service
from workflows.common import (
    ComplaintIntake,
    DepartmentKey,
    Name,
    Payload,
    PositiveYuan,
    Text,
    Yuan,
)


class WageComplaint(ComplaintIntake):
    """A wage-arrears complaint as registered: who complains, for how many workers, how much,
    on which project."""

    complainants: int | None = Field(default=None, ge=1, le=100000, description="投诉人数")
    claimed: Yuan | None = Field(default=None, description="投诉主张的欠薪金额（元）")
    project: str = Field(default="", max_length=200, description="建设项目或工作地点")


class Acceptance(Payload):
    summary: str = Field(default="", max_length=2000, description="立案摘要")


class Rejection(Payload):
    ground: str = Field(min_length=1, max_length=2000, description="不予受理的理由")
    refer_to: DepartmentKey | None = Field(
        default=None, description="不属本局管辖时，有管辖权的部门（职责边界表）"
    )


class Findings(Payload):
    workers: int = Field(gt=0, description="涉及劳动者人数")
    months: int = Field(gt=0, description="拖欠月数")
    claimed: Yuan = Field(description="投诉主张金额（元）")
    admitted: Yuan = Field(description="经查实/用人单位承认的欠薪（元）")
    disputed: Yuan = Field(default=Decimal(0), description="存在争议的金额（元）")
    facts: str = Field(min_length=1, max_length=4000, description="查明的事实")

    @model_validator(mode="after")
    def _amounts_add_up(self) -> Findings:
        if self.admitted + self.disputed > self.claimed:
            raise ValueError("查实金额与争议金额之和不能超过主张金额")
        return self


class PaymentOrder(Payload):
    note: str = Field(default="", max_length=2000, description="说明（可不填）")


class OrderService(Service):
    """How the payment order reached the employer; an employer who absconded is served by
    posting the order at its premises, recorded by photo or video (SPC interpretation of
    2013, art. 4(2)): the order then counts as given."""

    absconded: bool = Field(default=False, description="用人单位（负责人）逃匿")
    place: str = Field(default="", max_length=200, description="张贴地点（住所地、生产经营场所）")

    @model_validator(mode="after")
    def _posting_names_place(self) -> OrderService:
        if self.method == "posting" and not self.place:
            raise ValueError("张贴送达须写明张贴地点")
        return self


class Payment(Payload):
    amount: PositiveYuan = Field(description="本次支付金额（元）")
    paid_on: date = Field(description="支付日期")
    evidence: str = Field(default="", max_length=500, description="支付凭证")


class WorkerArrears(Payload):
    name: str = Field(default="", max_length=100, description="劳动者姓名")
    months: int = Field(ge=0, le=600, description="被拖欠月数")
    amount: Yuan = Field(description="仍被拖欠的金额（元）")


class ThresholdCheck(Payload):
    workers: list[WorkerArrears] = Field(min_length=1, description="逐人核算的拖欠情况")


class CompensationOrder(Payload):
    rate: Decimal = Field(
        ge=Decimal("0.5"), le=Decimal("1"), decimal_places=2, description="加付赔偿金比例"
    )
    reasons: Text = Field(description="确定比例的理由")


class Blacklisting(Payload):
    persons: Text = Field(description="列入名单的单位负责人、直接责任人员")
    reasons: Text = Field(description="情节严重或者造成严重不良社会影响的事实")


class MarketAccessNotice(Payload):
    project: Name = Field(description="建设项目名称")
    facts: Text = Field(description="拖欠情况和逾期未改正的事实")


class CriminalOutcome(Payload):
    stage: Name = Field(description="刑事程序阶段", examples=["检察院批准逮捕", "人民法院判决"])
    on: date = Field(description="日期")
    summary: Text = Field(description="进展情况")


class Closing(Payload):
    summary: str = Field(min_length=1, max_length=2000, description="结案说明")
