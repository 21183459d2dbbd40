"""Every worked example (案例) of both seeds in which the bureau handles a case, end to end
through the public API (the case commands and queries, the sweep, a FixedClock moved day by
day), ending with the state, referrals and documents the example describes.

Seed 000 (Ding'an) part 二, items 2, 5, 6, 8, 9, 11, 14, 15; seed 004 (Shuangpai) items 2, 3,
5, 6, 7, 10, 11 (items numbered in the seed's order). The other examples describe how
departments share a service, not a case the bureau handles (000 items 1, 3, 4, 7, 10, 12,
13; 004 items 1, 4, 8, 9, 12, 13): their matters have no procedure in the routing data,
which `test_service_examples_have_no_procedure` checks.
"""

from __future__ import annotations

import pytest

from engine.domain.errors import GuardFailed, NotPermitted
from tests.e2e import _flows as f
from tests.e2e._support import Bureau, subject
from tests.shared import CONTRACTOR, WAGE_FINDINGS
from workflows.routing import load_matters

FACTORY = subject("定安县某制衣厂", "海南省定安县塔岭工业园", "91469021MA5RC0QX1W")
KTV = subject("定安县某娱乐有限公司", "海南省定安县定城镇文化路8号", "91469021MA5U8K2P3F")
SI_AGENCY = subject("定安县社会保险事业局", "海南省定安县定城镇人民路1号", "12469021MB12345676")
SCHOOL = subject("定安县某小学", "海南省定安县定城镇育才路2号", "12469021MB0001234G")
WAGES = WAGE_FINDINGS


def test_000_15_wage_arrears_transferred_to_police(bureau: Bureau) -> None:
    """72 workers claim 1.2 million; the contractor admits 1.05 million, 150,000 disputed.
    The bureau orders payment of 1.05 million and tells the workers to take the rest to
    arbitration; the contractor neither pays nor appears, so the bureau transfers the case to
    the police for refusing to pay wages; the police open a case, the contractor is tried."""
    b = bureau
    ref = b.open(
        "wage_arrears", CONTRACTOR, "投诉", matter="wage_arrears", data={"claimed": "1200000"}
    )
    b.later(days=1)
    b.fire(ref, "accept", {"summary": "72名农民工集体投诉拖欠工资120万元，属本局管辖"})
    b.assign(ref, "wang", "li")
    b.fire(ref, "start_investigation")
    notice = {
        "person": "陈某",
        "capacity": "承包人",
        "attend_on": "2026-03-06",
        "place": "定安县劳动保障监察大队",
        "matters": "拖欠农民工工资情况，携带工程施工合同、考勤记录和工资支付台账",
    }
    b.fire(ref, "issue_inquiry_notice", notice)
    b.later(days=3)
    record = b.attach(ref, "陈某询问笔录.pdf", b"record of the inquiry")
    record["kind"] = "document"
    b.fire(
        ref,
        "record_inquiry",
        {
            "person": "陈某",
            "held_on": b.today(),
            "summary": "承认拖欠105万元，对15万元有结算争议",
            "record": record,
            "signed": True,
        },
        actor="li",
    )
    b.later(days=7)
    b.fire(ref, "record_findings", WAGES, actor="li")
    b.fire(ref, "order_payment", {"note": ""})
    b.fire(ref, "advise_arbitration", actor="li")
    b.later(days=2)
    photo = b.attach(ref, "项目部张贴指令书.jpg", b"jpeg bytes of the posted order")
    service = {
        "served_on": b.today(),
        "method": "posting",
        "evidence": [photo],
        "absconded": True,
        "place": "项目部和承包人住所门口",
    }
    b.fire(ref, "record_order_service", service)
    assert b.data(ref)["order_service"]["deemed_served"] is True

    assert b.until_expiry(ref, "payment_deadline").fired == 1
    assert b.state(ref) == "unpaid"
    threshold = b.data(ref)["criminal_threshold"]
    assert threshold["met"] is True and "3个月以上" in threshold["reason"]

    b.later(hours=2)
    report = {
        "offence": "拒不支付劳动报酬罪",
        "facts": "承包人拖欠72名农民工工资105万元，经责令支付逾期仍不支付，且不出面配合解决",
        "evidence": "调查报告、询问笔录、工资支付台账、张贴送达照片",
    }
    b.fire(ref, "propose_transfer", report, actor="li")
    with pytest.raises(NotPermitted):
        b.fire(ref, "approve_transfer", {}, actor="chen")  # only the head approves (art. 5)
    b.later(days=1)
    b.fire(ref, "approve_transfer", {"opinion": "同意移送"}, actor="zhou")
    b.later(hours=3)
    b.fire(ref, "transfer_to_police")
    b.later(days=2)
    b.fire(
        ref, "police_accept", {"notice_no": "定公（经）立字〔2026〕12号", "notified_on": b.today()}
    )
    b.fire(ref, "hand_over_materials", {"materials": "工资支付台账原件、询问笔录、张贴送达照片"})
    for stage, summary in [
        ("检察院批准逮捕", "承包人被批准逮捕"),
        ("人民法院判决", "以拒不支付劳动报酬罪判处有期徒刑"),
    ]:
        b.later(days=30)
        b.fire(
            ref, "record_criminal_outcome", {"stage": stage, "on": b.today(), "summary": summary}
        )
    b.fire(ref, "close", {"summary": "已移送公安机关，承包人被判处有期徒刑"}, actor="chen")

    assert b.state(ref) == "closed"
    assert b.referrals(ref) == [
        ("arbitration", "advise_party", "sent"),
        ("police", "criminal", "answered"),
    ]
    assert b.documents(ref) == [
        "inquiry_notice",
        "rectification_order",
        "arbitration_advice",
        "transfer_report",
        "criminal_transfer",
    ]
    [child] = b.data(ref)["linked_cases"]
    assert b.view(child).case.procedure == "arbitration_referral"
    assert b.data(child)["linked_from"] == ref
    assert b.queries.verify().broken == []
    b.dump_golden_inputs(ref)


def test_000_5_forced_child_labour(bureau: Bureau) -> None:
    """On a report of forced child labour the inspectors rescue the children and inform the
    market regulator and the police; the police open a case, the regulator revokes the
    employer's business licence."""
    b = bureau
    ref = b.open("labour_inspection", FACTORY, "举报", matter="child_labour")
    f.investigate(b, ref, "child_labour", "report", "群众举报该厂强迫童工劳动")
    f.find(
        b,
        ref,
        "非法使用童工并强迫劳动",
        "现场查获该厂强迫4名未满16周岁的童工从事缝纫劳动，已当场解救并送交其父母",
        "《劳动保障监察条例》第十一条第三项",
        workers=4,
    )
    report = {
        "offence": "强迫劳动罪",
        "facts": "以限制人身自由的方法强迫4名童工劳动",
        "evidence": "现场检查笔录、询问笔录、童工身份证明",
    }
    b.fire(ref, "propose_transfer", report)
    b.fire(ref, "approve_transfer", {"opinion": "同意"}, actor="zhou")
    b.fire(ref, "transfer_to_police", actor="li")
    b.later(days=1)
    b.fire(ref, "police_accept", {"notice_no": "定公立字〔2026〕21号", "notified_on": b.today()})
    b.fire(ref, "hand_over_materials", {"materials": "现场检查笔录、询问笔录、照片"})
    f.refer(b, ref, "market_regulation", "该厂强迫童工劳动，拒不执行整改指令", "已吊销营业执照")
    b.fire(ref, "close", {"summary": "已移送公安机关立案，工商部门已吊销营业执照"}, actor="chen")

    assert b.state(ref) == "closed"
    assert b.referrals(ref) == [
        ("police", "criminal", "answered"),
        ("market_regulation", "administrative", "answered"),
    ]
    assert b.data(ref)["referrals"][1]["name"] == "县市场监督管理局"  # the seed: 县工商局
    assert b.documents(ref) == ["transfer_report", "criminal_transfer", "referral_letter"]
    b.dump_golden_inputs(ref)


def test_000_8_fund_supervision_silence_counts_as_no_objection(bureau: Bureau) -> None:
    """The bureau supervises the fund's income and spending at the insurance agency, which
    drafts the budget; the bureau's initial review goes to the finance bureau."""
    b = bureau
    ref = b.open("fund_audit", SI_AGENCY, "年度监督计划", matter="social_insurance_fund")
    b.assign(ref, "wang", "li")
    notice = {
        "scope": "2025年度社会保险基金收支、预算执行情况",
        "materials": "会计凭证、账簿、报表",
    }
    with pytest.raises(GuardFailed, match="3日前"):
        b.fire(ref, "notify_inspection", {**notice, "visit_on": "2026-03-04"})
    b.fire(ref, "notify_inspection", {**notice, "visit_on": "2026-03-05"})
    b.later(days=3)
    b.fire(ref, "start_inspection")
    report = {
        "findings": "预算执行基本规范，个别待遇审核手续不全",
        "amount": "0",
        "received_by": "吴某",
    }
    b.later(days=2)
    report["received_on"] = b.today()
    b.fire(ref, "send_report", report, actor="li")
    assert b.until_expiry(ref, "written_opinion").fired == 1
    assert b.state(ref) == "opinion_closed"
    assert b.data(ref)["opinion"]["deemed_no_objection"] is True
    [event] = [e for e in b.queries.history(ref) if e.trigger == "deemed_no_objection"]
    assert event.actor == "system"
    b.fire(
        ref,
        "issue_final_report",
        {
            "conclusions": "基金收支管理基本规范",
            "handling": "完善待遇审核手续；初审意见报送县财政局",
        },
    )
    f.refer(b, ref, "finance", "2026年度社会保险基金预算草案初审意见", "已汇总审核")
    b.fire(ref, "close", {"summary": "监督完毕，初审意见已报送县财政局"}, actor="chen")

    assert b.state(ref) == "closed"
    assert b.referrals(ref) == [("finance", "coordination", "answered")]
    assert b.documents(ref) == [
        "fund_inspection_notice",
        "fund_report_draft",
        "fund_report",
        "referral_letter",
    ]
    b.dump_golden_inputs(ref)


def test_000_6_entertainment_venue_employment(sqlite_bureau: Bureau) -> None:
    """Culture licenses the KTV, the police watch public order and fire safety; the bureau
    supervises its employment: a patrol finds no illegal employment."""
    b = sqlite_bureau
    ref = b.open("labour_inspection", KTV, "日常巡视检查", matter="entertainment_venues")
    f.investigate(b, ref, "entertainment_venues", "patrol", "对新开业KTV进行用工检查")
    b.later(days=1)
    b.fire(ref, "conclude_no_violation", {"facts": "员工均已签订劳动合同，未发现招用未成年人"})
    b.fire(ref, "close", {"summary": "未发现违法用工"}, actor="chen")
    assert b.state(ref) == "closed" and b.referrals(ref) == [] and b.documents(ref) == []


@pytest.mark.parametrize(
    ("matter", "referrals"),
    [
        pytest.param(
            "occupational_health",
            [("safety_supervision", "administrative"), ("health", "coordination")],
            id="000-9-occupational-health",
        ),
        pytest.param(
            "social_insurance_enforcement",
            [("tax", "administrative")],
            id="000-11-social-insurance",
        ),
        pytest.param(
            "women_workers",
            [
                ("safety_supervision", "administrative"),
                ("womens_federation", "coordination"),
                ("trade_union", "coordination"),
            ],
            id="000-14-women-workers",
        ),
    ],
)
def test_000_inspection_with_referrals(
    sqlite_bureau: Bureau, matter: str, referrals: list[tuple[str, str]]
) -> None:
    """9: after an accident the bureau checks labour protection at the other workplaces, the
    safety bureau investigates the accident, health treats the victims. 11: the employer did
    not register for social insurance (the bureau) and under-declared contributions (the tax
    bureau). 14: a pregnant worker was dismissed unlawfully (compensation ordered); heavy
    labour is reported to the safety bureau; publicity with the women's federation and the
    trade union."""
    b = sqlite_bureau
    ref = b.open("labour_inspection", FACTORY, "投诉", matter=matter)
    f.investigate(b, ref, matter, "complaint", "投诉登记")
    f.find(b, ref, "违法行为", "查明的事实", "《劳动保障监察条例》第十一条")
    for department, _ in referrals:
        f.refer(b, ref, department, "检查中发现的情况", "已依职责处理")
    f.rectify(b, ref, "违法行为", "《劳动保障监察条例》第十一条", "限期改正")
    b.later(days=10)
    f.check(b, ref, True, "已改正")
    b.fire(ref, "close", {"summary": "已改正，有关情况已移送"}, actor="chen")
    assert b.state(ref) == "closed"
    assert b.referrals(ref) == [(d, k, "answered") for d, k in referrals]
    assert b.documents(ref) == ["referral_letter"] * len(referrals) + ["rectification_order"]


@pytest.mark.parametrize("county", ["dingan", "shuangpai"], ids=["000-2", "004-11"])
def test_public_recruitment_under_discipline_supervision(
    sqlite_bureau: Bureau, shuangpai: Bureau, county: str
) -> None:
    """The bureau runs the written test, eligibility review, interview, medical, vetting and
    publicity; the discipline commission supervises every step."""
    b = sqlite_bureau if county == "dingan" else shuangpai
    ref = b.open("recruitment", SCHOOL, "现场督查", matter="public_recruitment")
    stages = ["written_test", "eligibility", "interview", "medical", "vetting", "publicity"]
    b.fire(ref, "start_verification", {"clue": "年度公开招聘全程监督", "stages": stages})
    for stage in stages:
        b.fire(ref, "record_verification", {"method": "现场督查", "result": f"{stage}环节规范"})
    b.fire(ref, "conclude_no_problem", {"facts": "招聘各环节公开、公平、公正"})
    b.fire(ref, "close", {"summary": "监督完毕"}, actor="chen")
    assert b.state(ref) == "closed" and b.referrals(ref) == [] and b.documents(ref) == []


SERVICE_EXAMPLES = {
    "dingan": [
        "death_gratuity",
        "military_spouse_employment",
        "graduate_employment",
        "land_expropriated_farmers_insurance",
        "social_insurance_collection",
        "drug_rehabilitation",
        "construction_injury_insurance",
    ],
    "shuangpai": [
        "unified_payroll",
        "graduate_employment",
        "death_gratuity",
        "hardship_workers_assistance",
        "military_spouse_employment",
        "special_populations",
    ],
}


@pytest.mark.parametrize("county", sorted(SERVICE_EXAMPLES))
def test_service_examples_have_no_procedure(county: str) -> None:
    table = load_matters(county)
    for matter in SERVICE_EXAMPLES[county]:
        assert table.matter(matter).procedures == ()


AGENCY = subject(
    "双牌县某职业中介服务部", "湖南省永州市双牌县泷泊镇建设路5号", "91431123MA4L7Q2D52"
)
SP_FACTORY = subject("双牌县某竹木制品厂", "湖南省永州市双牌县五里牌镇工业园", "91431123MA4M3R8E63")
SP_KTV = subject("双牌县某娱乐会所", "湖南省永州市双牌县泷泊镇潇水路9号", "91431123MA4N5T1F7Q")
SP_FIRM = subject("双牌县某商贸有限公司", "湖南省永州市双牌县泷泊镇紫金路3号", "91431123MA4P2W9G84")

SHUANGPAI_PENALTIES = [
    pytest.param(
        AGENCY,
        "employment_promotion",
        "扣押劳动者居民身份证等证件",
        "《劳动保障监察条例》第十一条第八项、第二十八条第一款",
        "5000",
        False,
        [],
        id="004-2-agency-withholds-id-cards",
    ),
    pytest.param(
        SP_FACTORY,
        "women_workers",
        "解除产期女职工的劳动合同",
        "《劳动保障监察条例》第十一条第四项",
        "3000",
        True,
        [],
        id="004-3-woman-dismissed-on-maternity-leave",
    ),
    pytest.param(
        SP_KTV,
        "minors_protection",
        "娱乐场所招用未成年人",
        "《劳动保障监察条例》第十一条第四项、第二十三条第七项",
        "10000",
        False,
        [],
        id="004-5-minors-in-an-entertainment-venue",
    ),
    pytest.param(
        SP_FIRM,
        "unlicensed_business",
        "无照经营并招用劳动者",
        "《劳动保障监察条例》第三十三条",
        "2000",
        False,
        [("market_regulation", "administrative", "answered")],
        id="004-10-unlicensed-business",
    ),
]


@pytest.mark.parametrize(
    ("party", "matter", "violation", "basis", "fine", "hearing", "referrals"),
    SHUANGPAI_PENALTIES,
)
def test_004_ordered_to_correct_and_penalised(
    shuangpai: Bureau,
    party: object,
    matter: str,
    violation: str,
    basis: str,
    fine: str,
    hearing: bool,
    referrals: list[tuple[str, str, str]],
) -> None:
    """On a report the inspectors go to the site, order the violation corrected within a
    deadline and impose a penalty (10: the market regulator handles the unlicensed business)."""
    b = shuangpai
    ref = b.open("labour_inspection", party, "举报", matter=matter)  # type: ignore[arg-type]
    f.investigate(b, ref, matter, "report", "群众举报")
    f.find(b, ref, violation, f"经现场检查查明：{violation}", basis)
    for department, _, _ in referrals:
        f.refer(b, ref, department, violation, "已立案查处")
    f.rectify(b, ref, violation, basis, "立即改正")
    b.later(days=5)
    f.check(b, ref, True, "已改正")
    f.penalise(b, ref, violation, basis, fine, hearing=hearing)
    b.fire(ref, "close", {"summary": "已改正并缴纳罚款"}, actor="chen")
    assert b.state(ref) == "closed"
    assert b.referrals(ref) == referrals
    documents = ["referral_letter"] * len(referrals) + ["rectification_order", "penalty_notice"]
    documents += ["hearing_notice"] * hearing + ["penalty_decision"]
    assert b.documents(ref) == documents
    b.dump_golden_inputs(ref)


def test_004_6_forced_child_labour_shuangpai(shuangpai: Bureau) -> None:
    """Five children forced to work are rescued; the market regulator (市场质量和监督管理部门)
    revokes the licence, the police open a case."""
    b = shuangpai
    ref = b.open("labour_inspection", SP_FACTORY, "举报", matter="child_labour")
    f.investigate(b, ref, "child_labour", "report", "群众举报强迫童工劳动")
    f.find(
        b, ref, "强迫童工劳动", "解救被强迫劳动的5名童工", "《劳动保障监察条例》第十一条第三项", 5
    )
    b.fire(
        ref,
        "propose_transfer",
        {"offence": "强迫劳动罪", "facts": "强迫5名童工劳动", "evidence": "笔录"},
    )
    b.fire(ref, "approve_transfer", {}, actor="zhou")
    b.fire(ref, "transfer_to_police")
    b.fire(ref, "police_accept", {"notice_no": "双公立字〔2026〕5号", "notified_on": b.today()})
    b.fire(ref, "hand_over_materials", {"materials": "现场检查笔录"})
    f.refer(b, ref, "market_regulation", "强迫童工劳动", "已吊销营业执照")
    b.fire(ref, "close", {"summary": "已移送公安机关，营业执照已吊销"}, actor="chen")
    assert b.state(ref) == "closed"
    referrals = b.data(ref)["referrals"]
    assert [(r["department"], r["name"], r["status"]) for r in referrals] == [
        ("police", "县公安局", "answered"),
        ("market_regulation", "县市场监督管理局", "answered"),  # the seed: 市场质量和监督管理部门
    ]


def test_004_7_contracts_not_corrected_then_penalised(shuangpai: Bureau) -> None:
    """No written labour contracts: ordered to correct within a deadline; not corrected when
    the deadline passes (the sweep moves the case to the check), so a penalty follows."""
    b = shuangpai
    ref = b.open("labour_inspection", SP_FIRM, "举报", matter="labour_contract")
    f.investigate(b, ref, "labour_contract", "report", "群众举报未签劳动合同")
    basis = "《劳动保障监察条例》第二十四条"
    f.find(b, ref, "未与劳动者订立书面劳动合同", "12名劳动者均未订立书面劳动合同", basis, 12)
    f.rectify(b, ref, "未订立书面劳动合同", basis, "与全部劳动者订立书面劳动合同")
    assert b.until_expiry(ref, "rectification").fired == 1
    assert b.state(ref) == "rectification_check"
    f.check(b, ref, False, "仍未订立劳动合同")
    assert b.state(ref) == "handling"
    f.penalise(
        b,
        ref,
        "经责令改正拒不改正",
        "《劳动保障监察条例》第三十条第一款第三项",
        "5000",
        hearing=False,
    )
    b.fire(ref, "close", {"summary": "逾期未改正，已处罚"}, actor="chen")
    assert b.state(ref) == "closed"
    assert b.documents(ref) == ["rectification_order", "penalty_notice", "penalty_decision"]
