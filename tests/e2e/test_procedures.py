"""The procedures' other ways, end to end on SQLite: wage arrears when the police decline
(administrative handling with extra compensation, a penalty enforced through the court after
the sweep lapses the windows, the blacklist and the housing bureau), complaints routed
elsewhere, the off-site fund audit escalating to a linked on-site case, and the smaller
procedures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from engine.domain.errors import GuardFailed
from tests.e2e import _flows as f
from tests.e2e._support import Bureau, subject
from tests.e2e.test_worked_examples import FACTORY, SCHOOL, SI_AGENCY, WAGES
from tests.shared import CONTRACTOR

CLINIC = subject("定安县某民营医院", "海南省定安县定城镇见龙大道88号", "52469021MJ0000011W")
TRAINER = subject("定安县某职业技能培训学校", "海南省定安县定城镇塔岭路6号", "52469021MJ0000011W")
BRIGADE = subject("定安县劳动保障监察大队", "海南省定安县定城镇人民路1号", "12469021MB12345676")


def _unpaid(b: Bureau) -> str:
    ref = b.open("wage_arrears", CONTRACTOR, "投诉", matter="wage_arrears")
    b.fire(ref, "accept", {"summary": "72名农民工集体投诉"})
    b.assign(ref, "wang", "li")
    b.fire(ref, "start_investigation")
    b.later(days=10)
    b.fire(ref, "record_findings", WAGES, actor="li")
    b.fire(ref, "order_payment", {"note": ""})
    b.fire(
        ref,
        "record_order_service",
        {"served_on": b.today(), "method": "direct", "recipient": "陈某"},
    )
    assert b.until_expiry(ref, "payment_deadline").fired == 1
    return ref


def test_wage_arrears_police_decline_then_administrative_handling(sqlite_bureau: Bureau) -> None:
    b = sqlite_bureau
    ref = _unpaid(b)
    report = {
        "offence": "拒不支付劳动报酬罪",
        "facts": "承包人拖欠72名农民工工资105万元，经责令支付逾期仍不支付",
        "evidence": "调查报告、询问笔录、工资支付台账、送达回证",
    }
    b.fire(ref, "propose_transfer", report)
    b.fire(ref, "approve_transfer", {}, actor="zhou")
    b.fire(ref, "transfer_to_police")
    b.later(days=2)
    answer = {"notice_no": "定公不立字〔2026〕2号", "notified_on": b.today(), "reason": "证据不足"}
    b.fire(ref, "police_decline", answer)
    b.fire(ref, "request_police_reconsideration", {"grounds": "已达数额较大标准，且经张贴责令支付"})
    b.later(days=3)
    b.fire(ref, "police_decline", {**answer, "notice_no": "定公复字〔2026〕1号"})
    assert b.state(ref) == "administrative_handling"

    b.fire(ref, "order_compensation", {"rate": "0.5", "reasons": "首次违法，有悔改表现"})
    assert b.data(ref)["compensation"]["amount"] == "525000.00"
    b.fire(
        ref,
        "add_to_blacklist",
        {"persons": "承包人陈某", "reasons": "拖欠72名农民工工资105万元"},
        actor="zhou",
    )
    b.fire(ref, "notify_housing_bureau", {"project": "某住宅项目", "facts": "逾期未改正"})
    b.fire(ref, "refer", {"department": "court", "facts": "劳动者可以申请支付令"})
    notice = {
        "facts": "经责令支付拒不支付",
        "evidence": "限期改正指令书、送达回证",
        "basis": "《保障农民工工资支付条例》第三条第一款",
        "penalty_basis": "《劳动保障监察条例》第三十条第一款第三项",
        "proposed_fine": "20000",
        "hearing_right": False,
    }
    b.fire(ref, "issue_penalty_notice", notice)
    b.later(days=1)
    b.fire(ref, "record_notice_service", {"served_on": b.today(), "method": "direct"})
    b.until_expiry(ref, "hearing_request")
    b.fire(ref, "complete_legal_review", {"passed": True, "opinion": "同意"}, actor="sun")
    b.fire(ref, "decide_penalty", {"fine": "20000", "reasons": "未提出陈述申辩"}, actor="zhou")
    b.fire(ref, "serve_decision", {"served_on": b.today(), "method": "direct"})
    assert b.until_expiry(ref, "fine_payment").fired == 1  # the surcharge starts
    b.later(days=10)
    b.fire(ref, "record_fine_payment", {"amount": "5000", "paid_on": b.today()})
    assert b.until_expiry(ref, "reconsideration_period").fired == 1
    assert b.state(ref) == "decision_served"  # the lawsuit window still runs
    assert b.until_expiry(ref, "lawsuit_period").fired == 1
    assert b.state(ref) == "awaiting_enforcement"
    b.fire(ref, "issue_enforcement_reminder")
    owed = b.data(ref)["penalty"]["owed_at_reminder"]
    assert owed == "35000.00"  # 20,000 + surcharge capped at 20,000, less 5,000 paid
    with pytest.raises(GuardFailed, match="十个工作日"):
        b.fire(ref, "apply_court_enforcement", {"court": "定安县人民法院"}, actor="zhou")
    b.later(days=20)
    b.fire(ref, "apply_court_enforcement", {"court": "定安县人民法院"}, actor="zhou")
    b.later(days=10)
    b.fire(
        ref,
        "record_court_ruling",
        {"ruling": "enforce", "ruled_on": b.today(), "summary": "准予执行"},
    )
    b.fire(ref, "close", {"summary": "已作行政处理并申请强制执行"}, actor="chen")

    assert b.state(ref) == "closed"
    assert b.referrals(ref) == [
        ("police", "criminal", "answered"),
        ("police", "criminal", "answered"),
        ("housing_construction", "administrative", "sent"),
        ("court", "advise_party", "sent"),
    ]
    assert b.documents(ref) == [
        "rectification_order",
        "transfer_report",
        "criminal_transfer",
        "police_reconsideration",
        "compensation_decision",
        "blacklist_decision",
        "referral_letter",
        "party_advice",
        "penalty_notice",
        "penalty_decision",
        "enforcement_reminder",
        "enforcement_application",
    ]
    b.dump_golden_inputs(ref)


def test_complaints_outside_the_bureau_are_routed(sqlite_bureau: Bureau) -> None:
    b = sqlite_bureau
    wage = b.open("wage_arrears", CONTRACTOR, "投诉", matter="wage_arrears")
    with pytest.raises(GuardFailed, match="不能移送"):
        b.fire(wage, "reject", {"ground": "不属本局", "refer_to": "tax"})
    b.fire(wage, "reject", {"ground": "双方仅对工资结算有争议", "refer_to": "arbitration"})
    assert b.state(wage) == "routed"
    routed = b.data(wage)["routed_to"]
    assert (routed["department"], routed["name"]) == ("arbitration", "县劳动人事争议仲裁院")
    assert b.documents(wage) == ["not_accepted_notice", "party_advice"]

    other = b.open("labour_inspection", FACTORY, "投诉")
    with pytest.raises(GuardFailed, match="涉嫌犯罪"):
        b.fire(
            other, "reject", {"ground": "涉嫌犯罪", "matter": "child_labour", "refer_to": "police"}
        )
    b.fire(
        other,
        "reject",
        {"ground": "属于征缴问题", "matter": "social_insurance_enforcement", "refer_to": "tax"},
    )
    assert b.referrals(other) == [("tax", "administrative", "sent")]
    assert b.documents(other) == ["not_accepted_notice", "referral_letter"]
    b.dump_golden_inputs(other)


def test_offsite_audit_escalates_to_a_linked_onsite_case(sqlite_bureau: Bureau) -> None:
    b = sqlite_bureau
    ref = b.open("fund_audit", SI_AGENCY, "非现场监督")
    b.fire(ref, "request_data", {"scope": "2025年养老金发放明细", "format": "Excel"})
    b.later(days=10)
    b.fire(ref, "record_submission", {"received_on": b.today(), "description": "发放明细"})
    b.fire(ref, "request_resubmission", {"deficiencies": "缺少领取人身份证号码"})
    b.later(days=5)
    b.fire(ref, "record_submission", {"received_on": b.today(), "description": "补报明细"})
    b.fire(ref, "accept_data")
    report = {
        "assessment": "发放管理存在漏洞",
        "problems": "37人死亡后仍领取养老金",
        "serious": True,
    }
    b.fire(ref, "issue_offsite_report", report)
    b.fire(ref, "escalate_onsite")
    assert b.state(ref) == "escalated"
    [child] = b.data(ref)["linked_cases"]
    view = b.view(child)
    assert (view.case.procedure, view.case.state) == ("fund_audit", "planned")
    assert view.case.data["linked_from"] == ref and view.case.assignees == ["wang"]
    assert b.documents(ref) == ["data_request", "data_resubmission", "offsite_report"]
    b.dump_golden_inputs(ref)

    b.assign(child, "wang", "li")
    visit = (date.fromisoformat(b.today()) + timedelta(days=3)).isoformat()
    b.fire(
        child, "notify_inspection", {"visit_on": visit, "scope": "养老金发放", "materials": "凭证"}
    )
    b.later(days=3)
    b.fire(child, "start_inspection")
    b.fire(child, "seal_records", {"records": "2025年养老金发放凭证", "reason": "可能被销毁"})
    b.fire(
        child,
        "send_report",
        {
            "findings": "违规发放",
            "amount": "412000",
            "received_by": "吴某",
            "received_on": b.today(),
        },
    )
    b.later(days=4)
    opinion = {"received_on": b.today(), "objections": True, "opinion": "部分人员已追回"}
    b.fire(child, "record_written_opinion", opinion)
    b.fire(
        child,
        "issue_final_report",
        {"conclusions": "违规发放41.2万元", "handling": "整改、约谈、建议处罚"},
    )
    f.rectify(
        b, child, "违规发放养老金", "《中华人民共和国社会保险法》第八十八条", "追回违规发放的养老金"
    )
    b.fire(
        child,
        "interview_head",
        {"interviewee": "局长", "held_on": b.today(), "matters": "追回基金"},
    )
    proposal = {
        "authority": "县人社局",
        "facts": "违规发放养老金",
        "basis": "《中华人民共和国社会保险法》第八十八条",
        "proposal": "责令退回并处罚款",
        "amount": "412000",
    }
    b.fire(child, "propose_penalty", proposal, actor="zhou")
    assert b.state(child) == "rectification_ordered"
    assert b.until_expiry(child, "rectification").fired == 1
    f.check(b, child, True, "已全部追回")
    b.fire(child, "close", {"summary": "已整改"}, actor="chen")
    assert b.documents(child) == [
        "fund_inspection_notice",
        "sealing_notice",
        "fund_report_draft",
        "fund_report",
        "fund_rectification",
        "interview_notice",
        "penalty_proposal",
    ]
    b.dump_golden_inputs(child)


def test_smaller_procedures(sqlite_bureau: Bureau) -> None:
    b = sqlite_bureau
    clinic = b.open("medical_institutions", CLINIC, "年度检查")
    b.assign(clinic, "wang", "li")
    b.fire(clinic, "start_check")
    for step in ("materials", "records", "onsite"):
        b.fire(clinic, "record_check_step", {"step": step, "findings": "核查情况"})
    b.fire(clinic, "consult_department", {"department": "health", "question": "核实执业范围"})
    violations = {
        "facts": "虚构住院病历",
        "defrauded": "12000",
        "basis": "《中华人民共和国社会保险法》第八十七条",
    }
    b.fire(clinic, "record_violations", violations)
    f.penalise(
        b,
        clinic,
        "骗取医疗保险基金",
        "《中华人民共和国社会保险法》第八十七条",
        "24000",
        hearing=False,
    )
    b.fire(clinic, "close", {"summary": "已责令退回并处罚"}, actor="chen")
    b.dump_golden_inputs(clinic)

    school = b.open("training_institutions", TRAINER, "年度检查")
    b.assign(school, "wang", "li")
    b.fire(
        school,
        "record_submission",
        {"submitted_on": b.today(), "materials": "自查报告、年度检查登记表"},
    )
    b.fire(school, "record_spot_check", {"checked_on": b.today(), "findings": "专职教师不足"})
    b.fire(
        school, "decide_result", {"passed": False, "reasons": "专职教师不足设置标准"}, actor="chen"
    )
    b.fire(school, "publish_result", {"published_on": b.today()}, actor="chen")
    b.dump_golden_inputs(school)

    review = b.open("penalty_review", BRIGADE, "年度评价", actor="chen")
    b.fire(
        review, "start_review", {"occasion": "annual_evaluation", "scope": "2025年度"}, actor="sun"
    )
    b.fire(
        review,
        "record_review_step",
        {"method": "查看案卷", "findings": "同类案件罚款差异大"},
        actor="sun",
    )
    b.fire(review, "conclude_review", {"proper": False, "findings": "裁量不当"}, actor="sun")
    b.fire(review, "order_correction", {"measures": "责令改正并通报"}, actor="zhou")
    b.dump_golden_inputs(review)

    recruiting = b.open("recruitment", SCHOOL, "考生投诉", matter="public_recruitment")
    b.fire(recruiting, "start_verification", {"clue": "面试评分有涂改", "stages": ["interview"]})
    b.fire(recruiting, "record_verification", {"method": "查阅评分表", "result": "评分表被涂改"})
    decision = {
        "facts": "面试评分被涂改",
        "measures": ["correct", "withdraw_benefit"],
        "details": "重新面试",
    }
    b.fire(recruiting, "decide_handling", decision, actor="zhou")
    b.fire(recruiting, "refer", {"department": "discipline_inspection", "facts": "考官涂改评分"})
    b.dump_golden_inputs(recruiting)

    employer = b.open("employer_compliance", FACTORY, "专项检查")
    notice = {"occasion": "campaign", "inspect_on": b.today(), "contents": "劳动合同、工资表"}
    b.fire(employer, "notify_unit", notice)
    b.assign(employer, "wang", "li")
    b.fire(employer, "start_inspection")
    b.fire(
        employer,
        "conclude_violations",
        {
            "facts": "使用童工",
            "basis": "《劳动保障监察条例》第十一条第三项",
            "matter": "child_labour",
        },
    )
    b.fire(employer, "open_enforcement_case")
    [child] = b.data(employer)["linked_cases"]
    assert b.view(child).case.procedure == "labour_inspection"
    b.dump_golden_inputs(employer)

    assert [b.state(r) for r in (clinic, school, review, recruiting, employer)] == [
        "closed",
        "published",
        "correction_ordered",
        "handled",
        "case_opened",
    ]
