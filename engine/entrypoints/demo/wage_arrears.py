"""The demo's main story, Ding'an boundary table item 15, end to end: ordered to pay, the
contractor neither pays nor appears, the deadline passes by itself, the case goes to the
police."""

from __future__ import annotations

from engine.domain.case import Case
from engine.domain.subject import Subject
from engine.entrypoints.demo.story import (
    CONTRACTOR,
    WAGE_FINDINGS,
    Story,
    day,
    let_deadline_pass,
)


def wage_case(s: Story) -> str:
    case = _intake(s)
    case = _investigate_and_order(s, case)
    case = _serve_and_lapse(s, case)
    return _transfer(s, case).ref


def _intake(s: Story) -> Case:
    """The complaint registered, accepted, assigned to two inspectors."""
    svc = s.app.cases
    name, address, code = CONTRACTOR
    case = svc.open_case(
        procedure="wage_arrears",
        subject=Subject.create(name, address, code),
        source="投诉",
        actor="wang",
        data={"complainants": 72, "claimed": "1200000", "project": "某住宅项目"},
        matter="wage_arrears",
    )
    s.say(
        "王建国（监察员）",
        f"登记投诉，案件编号 {case.ref}",
        f"72名农民工投诉{name}拖欠工资120万元。{s.state(case)}",
    )
    s.later(days=1, hours=2)
    case = svc.fire(
        case.ref,
        "accept",
        {"summary": "72名农民工集体投诉欠薪，属本局管辖，予以立案"},
        actor="wang",
    )
    s.say("王建国", "受理立案", s.state(case))
    s.later(hours=1)
    svc.assign(case.ref, ["wang", "li"], actor="chen", reason="欠薪案件须两名监察员承办")
    s.say("陈志强（大队长）", "指派王建国、李秀梅承办（执法须两名监察员）")
    case = svc.fire(case.ref, "start_investigation", actor="wang")
    s.say("王建国", "开始调查", s.state(case))
    return case


def _investigate_and_order(s: Story, case: Case) -> Case:
    """Inquiry, findings, the payment order and the advice to apply for arbitration."""
    svc = s.app.cases
    notice = {
        "person": "陈某",
        "capacity": "承包人",
        "attend_on": day(s, days=3),
        "place": "定安县劳动保障监察大队",
        "matters": "拖欠农民工工资情况，携带工程施工合同、考勤记录和工资支付台账",
    }
    case = svc.fire(case.ref, "issue_inquiry_notice", notice, actor="wang")
    s.say("王建国", "向承包人发出询问通知书", s.state(case))
    s.later(days=12)
    case = svc.fire(case.ref, "record_findings", WAGE_FINDINGS, actor="li")
    s.say("李秀梅（监察员）", "调查终结：查实拖欠105万元，争议15万元", s.state(case))
    s.later(hours=3)
    case = svc.fire(case.ref, "order_payment", {"note": ""}, actor="wang")
    s.say("王建国", "下达限期改正指令书，责令限期支付105万元", s.state(case))
    case = svc.fire(case.ref, "advise_arbitration", actor="li")
    s.say(
        "李秀梅",
        "告知农民工就争议的15万元申请劳动争议仲裁（另立仲裁转介案件跟踪期限）",
        s.state(case),
    )
    return case


def _serve_and_lapse(s: Story, case: Case) -> Case:
    """The contractor absconds: the order is posted, the deadline passes by itself."""
    svc = s.app.cases
    s.later(days=1)
    svc.add_attachment(
        case.ref,
        "项目部张贴指令书.jpg",
        b"photo of the posted order",
        actor="wang",
        note="承包人逃匿，张贴送达",
    )
    [photo] = s.app.queries.get_case(case.ref).attachments
    case = svc.fire(
        case.ref,
        "record_order_service",
        {
            "served_on": day(s),
            "method": "posting",
            "absconded": True,
            "place": "项目部和承包人住所门口",
            "evidence": [{"name": photo.name, "sha256": photo.sha256, "kind": "photo"}],
        },
        actor="wang",
    )
    s.say("王建国", "承包人逃匿，指令书在项目部张贴送达并拍照留证", s.state(case))
    let_deadline_pass(s, case.ref, "payment_deadline", "承包人未支付也未出面")
    data = s.app.queries.get_case(case.ref).case.data
    s.say(
        "系统",
        "自动核对拒不支付劳动报酬罪的数额标准",
        (data.get("criminal_threshold") or {}).get("reason", ""),
    )
    return case


def _transfer(s: Story, case: Case) -> Case:
    """Transfer to the police: report, the head's approval, the letter, acceptance."""
    svc = s.app.cases
    s.later(hours=2)
    case = svc.fire(
        case.ref,
        "propose_transfer",
        {
            "offence": "拒不支付劳动报酬罪",
            "facts": "承包人拖欠72名农民工工资105万元，经责令支付逾期仍不支付，且逃匿不出面",
            "evidence": "调查报告、询问笔录、工资支付台账、张贴送达照片",
        },
        actor="li",
    )
    s.say("李秀梅", "提出涉嫌犯罪案件移送报告", s.state(case))
    s.later(days=1)
    case = svc.fire(case.ref, "approve_transfer", {"opinion": "同意移送"}, actor="zhou")
    s.say("周明（局长）", "批准移送（3日内作出决定）", s.state(case))
    s.later(hours=3)
    case = svc.fire(case.ref, "transfer_to_police", actor="wang")
    s.say("王建国", "制作涉嫌犯罪案件移送书，24小时内移送县公安局", s.state(case))
    s.later(days=2)
    case = svc.fire(
        case.ref,
        "police_accept",
        {"notice_no": "定公（经）立字〔2026〕12号", "notified_on": day(s)},
        actor="wang",
    )
    case = svc.fire(
        case.ref,
        "hand_over_materials",
        {"materials": "工资支付台账原件、询问笔录、张贴送达照片"},
        actor="wang",
    )
    s.say("王建国", "公安机关立案，移交全部材料", s.state(case))
    s.later(days=1)
    case = svc.fire(case.ref, "close", {"summary": "已移送公安机关立案侦查"}, actor="chen")
    s.say("陈志强", "结案", s.state(case))
    return case
