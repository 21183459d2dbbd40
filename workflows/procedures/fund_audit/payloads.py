"""Payloads of the social-insurance fund supervision procedure."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from workflows.common import Name, Payload, Text, Yuan


class InspectionNotice(Payload):
    visit_on: date = Field(description="现场检查日期（通知后至少3日）")
    scope: Text = Field(description="监督项目和内容（监督方案）")
    materials: Text = Field(description="被监督单位须准备的材料")


class Sealing(Payload):
    records: Text = Field(description="封存的资料")
    reason: Text = Field(description="可能被转移、隐匿或者灭失的情况")


class DraftReport(Payload):
    findings: Text = Field(description="检查发现的问题")
    amount: Yuan = Field(description="涉及基金金额（元）")
    received_by: Name = Field(description="被监督单位签收人")
    received_on: date = Field(description="被监督单位收到监督报告的日期（书面意见期自此起算）")


class WrittenOpinion(Payload):
    received_on: date = Field(description="收到书面意见的日期")
    objections: bool = Field(description="是否提出异议")
    opinion: Text = Field(description="书面意见")


class FinalReport(Payload):
    conclusions: Text = Field(description="监督结论")
    handling: Text = Field(description="处理意见（整改、约谈、处理处罚建议、移送）")


class Interview(Payload):
    interviewee: Name = Field(description="约谈对象（单位主要负责人）")
    held_on: date = Field(description="约谈日期")
    matters: Text = Field(description="约谈事项")


class PenaltyProposal(Payload):
    authority: Name = Field(description="有权处理的行政主管部门", examples=["县人社局"])
    facts: Text = Field(description="违法事实")
    basis: Text = Field(description="处理处罚依据")
    proposal: Text = Field(description="处理处罚意见")
    amount: Yuan = Field(description="涉及金额（元）")


class DataRequest(Payload):
    scope: Text = Field(description="报送数据的范围")
    format: Text = Field(description="格式和报送方式")


class Submission(Payload):
    received_on: date = Field(description="收到数据的日期")
    description: Text = Field(description="报送的数据")


class Deficiencies(Payload):
    deficiencies: Text = Field(description="不符合要求之处和补报要求")


class OffsiteReport(Payload):
    assessment: Text = Field(description="基金管理状况评估")
    problems: Text = Field(description="存在的问题")
    serious: bool = Field(description="是否存在严重违法违纪问题（应实施现场监督）")
