"""A valid example payload for every payload model the procedures declare, relative to the
day it is used (dates in payloads must often lie before or after "today")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel

from workflows.blocks import closing, inquiries, investigation, rectification, referrals
from workflows.blocks.criminal_transfer import payloads as criminal_transfer
from workflows.blocks.penalty import payloads as pp
from workflows.procedures import (
    arbitration_referral as ar,
)
from workflows.procedures import (
    employer_compliance,
    medical_institutions,
    penalty_review,
    recruitment,
    training_institutions,
)
from workflows.procedures.fund_audit import payloads as fa
from workflows.procedures.labour_inspection import payloads as li
from workflows.procedures.wage_arrears import payloads as wa

Example = Callable[[date], dict[str, Any]]
SHA = "ab" * 32
PHOTO = {"name": "张贴现场.jpg", "sha256": SHA, "kind": "photo"}


def _d(day: date, days: int = 0) -> str:
    return (day + timedelta(days=days)).isoformat()


def _text(**values: Any) -> Example:
    return lambda _day: dict(values)


EXAMPLES: dict[type[BaseModel], Example] = {
    # shared building blocks
    closing.Closing: _text(summary="案件已依法处理完毕，予以结案"),
    investigation.Approval: _text(approved_by_note="同意"),
    inquiries.InquiryNotice: lambda d: {
        "person": "张某",
        "capacity": "法定代表人",
        "attend_on": _d(d, 3),
        "place": "县劳动保障监察大队",
        "matters": "工资支付情况，携带工资支付台账",
    },
    inquiries.InquiryRecord: lambda d: {
        "person": "张某",
        "held_on": _d(d),
        "summary": "承认拖欠工资",
        "record": {"name": "询问笔录.pdf", "sha256": SHA, "kind": "document"},
        "signed": True,
    },
    referrals.ReferralSend: _text(department="market_regulation", facts="用人单位拒不执行整改指令"),
    referrals.ReferralReceipt: lambda d: {"department": "market_regulation", "received_on": _d(d)},
    referrals.ReferralAnswer: lambda d: {
        "department": "market_regulation",
        "answer": "已吊销营业执照",
        "answered_on": _d(d),
    },
    criminal_transfer.TransferReport: _text(
        offence="拒不支付劳动报酬罪", facts="经责令支付逾期仍不支付", evidence="调查报告、工资台账"
    ),
    criminal_transfer.HeadDecision: _text(opinion="同意移送"),
    criminal_transfer.PoliceAnswer: lambda d: {
        "notice_no": "定公立字〔2026〕8号",
        "notified_on": _d(d),
    },
    criminal_transfer.ReconsiderationRequest: _text(grounds="数额已达到标准"),
    criminal_transfer.HandOver: _text(materials="工资台账原件、询问笔录"),
    rectification.RectificationOrder: _text(
        violations="未依法订立书面劳动合同",
        basis="《劳动保障监察条例》第二十四条",
        requirements="与全部劳动者订立书面劳动合同",
    ),
    rectification.Check: lambda d: {"checked_on": _d(d), "corrected": True, "notes": "已改正"},
    # the penalty procedure
    pp.PenaltyNotice: _text(
        facts="拒不履行责令改正指令",
        evidence="询问笔录、现场检查笔录",
        basis="《保障农民工工资支付条例》第三条第一款",
        penalty_basis="《劳动保障监察条例》第三十条第一款第三项",
        proposed_fine="20000",
        hearing_right=True,
    ),
    pp.Statement: _text(statement="经营困难", review="理由不成立", adopted=False),
    pp.HearingRequest: lambda d: {"requested_on": _d(d)},
    pp.Waiver: _text(note="放弃陈述申辩和听证"),
    pp.HearingNotice: lambda d: {"hearing_on": _d(d, 20), "place": "本局会议室", "host": "sun"},
    pp.HearingRecord: lambda d: {
        "held_on": _d(d),
        "party_attended": True,
        "summary": "当事人到场申辩",
        "record_signed": True,
    },
    pp.LegalReview: _text(passed=True, opinion="事实清楚，证据确凿，程序合法"),
    pp.PenaltyDecision: _text(fine="20000", reasons="陈述申辩理由不成立，不予采纳"),
    pp.Service: lambda d: {"served_on": _d(d), "method": "direct", "recipient": "张某"},
    pp.FinePayment: lambda d: {"amount": "20000", "paid_on": _d(d)},
    pp.RemedyFiled: lambda d: {"kind": "reconsideration", "filed_on": _d(d), "body": "县人民政府"},
    pp.RemedyOutcome: lambda d: {"outcome": "upheld", "decided_on": _d(d), "summary": "维持"},
    pp.EnforcementApplication: _text(court="定安县人民法院"),
    pp.CourtRuling: lambda d: {"ruling": "enforce", "ruled_on": _d(d), "summary": "准予执行"},
    # wage arrears
    wa.Acceptance: _text(summary="符合受理条件"),
    wa.Rejection: _text(ground="不属于劳动保障监察事项"),
    wa.Findings: _text(
        workers=72,
        months=4,
        claimed="1200000",
        admitted="1050000",
        disputed="150000",
        facts="承包人承认拖欠105万元，对15万元存在结算争议",
    ),
    wa.PaymentOrder: _text(note=""),
    wa.OrderService: lambda d: {
        "served_on": _d(d),
        "method": "posting",
        "evidence": [PHOTO],
        "absconded": True,
        "place": "项目部门口",
    },
    wa.Payment: lambda d: {"amount": "1050000", "paid_on": _d(d)},
    wa.ThresholdCheck: _text(workers=[{"months": 4, "amount": "14583.33"}] * 72),
    wa.CompensationOrder: _text(rate="0.5", reasons="首次违法"),
    wa.Blacklisting: _text(persons="法定代表人张某", reasons="拖欠72名农民工工资105万元，拒不支付"),
    wa.MarketAccessNotice: _text(project="某住宅项目", facts="逾期未支付"),
    wa.CriminalOutcome: lambda d: {"stage": "人民法院判决", "on": _d(d), "summary": "判处有期徒刑"},
    wa.Closing: _text(summary="已依法处理完毕"),
    ar.Application: lambda d: {"applied_on": _d(d), "applicants": 20, "committee": "县仲裁委"},
    ar.CommitteeDecision: lambda d: {"decided_on": _d(d), "case_no": "定劳人仲案字〔2026〕3号"},
    ar.Extension: lambda d: {"approved_on": _d(d)},
    ar.Award: lambda d: {
        "outcome": "award",
        "on": _d(d),
        "amount": "150000",
        "summary": "裁决支付",
    },
    ar.Ending: _text(summary="劳动者表示不申请仲裁"),
    # labour inspection
    li.Acceptance: _text(source_kind="report", matter="child_labour"),
    li.Rejection: _text(ground="不属于本局管辖"),
    li.Findings: _text(
        violations="使用童工", facts="查明使用5名童工", basis="《劳动保障监察条例》第十一条第三项"
    ),
    li.NoViolation: _text(facts="未发现违法行为"),
    li.Withdrawal: _text(facts="情节轻微", correction="已补签劳动合同"),
    # fund audit
    fa.InspectionNotice: lambda d: {
        "visit_on": _d(d, 5),
        "scope": "2025年度基金收支",
        "materials": "会计凭证、账簿",
    },
    fa.Sealing: _text(records="2025年度会计凭证", reason="可能被转移"),
    fa.DraftReport: lambda d: {
        "findings": "违规支付待遇",
        "amount": "86000",
        "received_by": "李会计",
        "received_on": _d(d),
    },
    fa.WrittenOpinion: lambda d: {"received_on": _d(d), "objections": False, "opinion": "无异议"},
    fa.FinalReport: _text(conclusions="基金管理基本规范", handling="责令整改"),
    fa.Interview: lambda d: {"interviewee": "主任", "held_on": _d(d, 3), "matters": "整改"},
    fa.PenaltyProposal: _text(
        authority="县人社局",
        facts="违规支付待遇",
        basis="《中华人民共和国社会保险法》第八十八条",
        proposal="责令退回并处罚款",
        amount="86000",
    ),
    fa.DataRequest: _text(scope="待遇发放明细", format="Excel，电子报送"),
    fa.Submission: lambda d: {"received_on": _d(d), "description": "待遇发放明细"},
    fa.Deficiencies: _text(deficiencies="缺少身份证号码"),
    fa.OffsiteReport: _text(assessment="存在重复领取", problems="重复领取养老金", serious=True),
    # smaller procedures
    recruitment.Registration: _text(clue="考生举报面试不公", stages=["interview"]),
    recruitment.Verification: _text(method="查阅面试记录", result="评分表有涂改"),
    recruitment.Conclusion: _text(facts="未发现违规"),
    recruitment.Decision: _text(facts="面试评分违规", measures=["correct"], details="重新组织面试"),
    medical_institutions.CheckStep: _text(step="materials", findings="执业许可证有效"),
    medical_institutions.Consultation: _text(department="health", question="核实执业范围"),
    medical_institutions.Conclusion: _text(facts="未发现违规"),
    medical_institutions.Violations: _text(
        facts="虚构住院", defrauded="12000", basis="医疗保险服务协议"
    ),
    training_institutions.Submission: lambda d: {"submitted_on": _d(d), "materials": "自查报告"},
    training_institutions.SpotCheck: lambda d: {"checked_on": _d(d), "findings": "师资不足"},
    training_institutions.Result: _text(passed=True, reasons="符合设置标准"),
    training_institutions.Publication: lambda d: {"published_on": _d(d)},
    penalty_review.Plan: _text(occasion="annual_evaluation", scope="2025年度处罚案件"),
    penalty_review.ReviewStep: _text(method="查看案卷", findings="裁量适当"),
    penalty_review.Conclusion: _text(proper=True, findings="裁量适当"),
    penalty_review.CorrectionOrder: _text(measures="责令改正并通报"),
    penalty_review.CorrectionCheck: lambda d: {
        "checked_on": _d(d),
        "corrected": True,
        "notes": "已整改",
    },
    employer_compliance.Notice: lambda d: {
        "occasion": "campaign",
        "inspect_on": _d(d, 3),
        "contents": "劳动合同、工资表",
    },
    employer_compliance.InspectionStep: _text(step="查阅材料", findings="部分未签合同"),
    employer_compliance.Conclusion: _text(facts="未发现违法行为"),
    employer_compliance.Violations: _text(facts="未签劳动合同", basis="劳动合同法第十条"),
}


def example(model: type[BaseModel], day: date, **overrides: Any) -> dict[str, Any]:
    return {**EXAMPLES[model](day), **overrides}
