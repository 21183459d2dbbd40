"""Payloads of the transfer of a suspected crime to the police (blocks.criminal_transfer)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from workflows.common import Name, Payload, Text


class TransferReport(Payload):
    offence: Name = Field(description="涉嫌罪名", examples=["拒不支付劳动报酬罪"])
    facts: Text = Field(description="涉嫌犯罪的事实")
    evidence: Text = Field(description="证据材料（涉案物品清单、调查报告等）")


class HeadDecision(Payload):
    opinion: str = Field(default="", max_length=2000, description="局长审批意见")


class PoliceAnswer(Payload):
    notice_no: Name = Field(description="公安机关通知书文号")
    notified_on: date = Field(description="收到通知日期")
    reason: str = Field(default="", max_length=2000, description="不予立案的理由")


class ReconsiderationRequest(Payload):
    grounds: Text = Field(description="提请复议的理由")


class HandOver(Payload):
    materials: Text = Field(description="移交的涉案物品和材料")
