"""Social-insurance fund supervision 社会保险基金监督检查 (`fund_audit`).

On-site (Ding'an supervision rules 三（二）5（1）): plan → inspection notice at least 3 days
before the visit → inspection of accounts, vouchers and statements, sealing of records at
risk (社会保险法第七十九条第二款) → report sent to the unit for its written opinion within
10 days; silence counts as no objection, recorded by the sweep → final report → handling:
rectification with a deadline and a check, interview of the unit's head (社会保险经办条例
第四十八条第二款), a penalty proposal to the competent authority (社会保险法第七十九条第一款),
transfer to the police (310号令), referral to discipline inspection or the procuratorate
(310号令第十九条) → closed.

Off-site (三（二）5（2）): request data (scope, format, deadline) → review → resubmission
when incomplete → analysis → report; serious problems open a linked on-site case (三（二）3
（2）③).
"""

from __future__ import annotations

from engine.domain.procedure import (
    DocumentDecl,
    LinkedCase,
    PeriodSetting,
    ProcedureDecl,
    StateDecl,
    TimerDecl,
    TriggerDecl,
)
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    CLOSING_EFFECT,
    ENFORCEMENT,
    INSPECTORS,
    INSPECTORS_AND_SUPERVISORS,
    NOT_CASE_INSPECTOR,
    SUPERVISORS,
    SUPERVISORS_AND_HEAD,
    SYSTEM,
    Closing,
)
from workflows.counties import PeriodKey
from workflows.criminal_transfer import CriminalTransfer
from workflows.fund_audit import rules as r
from workflows.fund_audit.payloads import (
    DataRequest,
    Deficiencies,
    DraftReport,
    FinalReport,
    InspectionNotice,
    Interview,
    OffsiteReport,
    PenaltyProposal,
    Sealing,
    Submission,
    WrittenOpinion,
)
from workflows.rectification import Rectification
from workflows.referrals import referral_triggers

ID = "fund_audit"
FAMILY = "fund_supervision"
SI_LAW = "《中华人民共和国社会保险法》"


def _doc(kind: str, title: str, template: str, abbrev: str) -> DocumentDecl:
    return DocumentDecl(kind, title, template, FAMILY, abbrev)


INSPECTION_NOTICE = _doc(
    "fund_inspection_notice", "社会保险基金监督检查通知书", "fund_inspection_notice.html.j2", "通"
)
SEALING_NOTICE = _doc("sealing_notice", "资料封存通知书", "sealing_notice.html.j2", "封")
DRAFT_REPORT = _doc(
    "fund_report_draft", "社会保险基金监督报告（征求意见稿）", "fund_report.html.j2", "征"
)
FINAL_REPORT = _doc("fund_report", "社会保险基金监督报告", "fund_report.html.j2", "报")
OFFSITE_REPORT = _doc("offsite_report", "社会保险基金非现场监督报告", "fund_report.html.j2", "非")
RECTIFICATION_NOTICE = _doc(
    "fund_rectification", "社会保险基金监督整改通知书", "fund_rectification.html.j2", "改"
)
INTERVIEW_NOTICE = _doc("interview_notice", "约谈通知书", "interview_notice.html.j2", "约")
PENALTY_PROPOSAL = _doc(
    "penalty_proposal", "社会保险基金违法行为处理处罚建议书", "penalty_proposal.html.j2", "建"
)
DATA_REQUEST = _doc("data_request", "非现场监督数据报送通知书", "data_request.html.j2", "数")
DATA_RESUBMISSION = _doc(
    "data_resubmission", "非现场监督数据补报通知书", "data_request.html.j2", "补"
)

OPINION_WINDOW = TimerDecl(
    "written_opinion",
    "被监督单位书面意见期限（逾期视同无异议）",
    PeriodSetting(PeriodKey.WRITTEN_OPINION),
    f"{r.SEED_RULE}（1）③",
    on_expiry="deemed_no_objection",
)
DATA_WINDOW = TimerDecl(
    "data_submission",
    "报送数据期限",
    PeriodSetting(PeriodKey.DATA_REQUEST),
    f"{r.SEED_RULE}（2）①（期限由本县确定）",
)

RECTIFICATION = Rectification(
    sources=("handling",),
    document=RECTIFICATION_NOTICE,
    basis=f"{SI_LAW}第七十九条第一款（期限由本县确定）",
    corrected_to="handling",
    not_corrected_to="handling",
)
TRANSFER = CriminalTransfer(
    sources=("handling",), matter=r.MATTER, accepted_to="handling", declined_to="handling"
)

STATES = (
    StateDecl("planned", "已立项（制定监督方案）"),
    StateDecl("notified", "已通知被监督单位（待现场检查）"),
    StateDecl("inspecting", "现场检查中"),
    StateDecl("awaiting_opinion", "监督报告已送达（书面意见期）", timers=(OPINION_WINDOW,)),
    StateDecl("opinion_closed", "意见期结束（待出具监督报告）"),
    StateDecl("handling", "监督处理"),
    *RECTIFICATION.states,
    *TRANSFER.states,
    StateDecl("data_requested", "已通知报送数据", timers=(DATA_WINDOW,)),
    StateDecl("data_review", "审核报送数据"),
    StateDecl("analysis", "数据分析"),
    StateDecl("offsite_reported", "非现场监督报告已出具"),
    StateDecl("escalated", "已转现场监督", final=True),
    StateDecl("closed", "已办结", final=True),
)

ONSITE: tuple[TriggerDecl, ...] = (
    TriggerDecl(
        "notify_inspection",
        "通知现场检查",
        "planned",
        "notified",
        INSPECTORS,
        guards=(*ENFORCEMENT, r.VISIT_NOT_TOO_EARLY),
        payload=InspectionNotice,
        effect=r.notified,
        documents=(INSPECTION_NOTICE,),
    ),
    TriggerDecl(
        "start_inspection",
        "进场检查",
        "notified",
        "inspecting",
        INSPECTORS,
        guards=(*ENFORCEMENT, r.VISIT_DAY_REACHED),
    ),
    TriggerDecl(
        "seal_records",
        "封存资料",
        "inspecting",
        None,
        INSPECTORS,
        guards=ENFORCEMENT,
        payload=Sealing,
        effect=r.sealed,
        documents=(SEALING_NOTICE,),
    ),
    TriggerDecl(
        "send_report",
        "送达监督报告（征求意见）",
        "inspecting",
        "awaiting_opinion",
        INSPECTORS,
        guards=ENFORCEMENT,
        payload=DraftReport,
        effect=r.REPORT,
        documents=(DRAFT_REPORT,),
    ),
    TriggerDecl(
        "record_written_opinion",
        "登记被监督单位书面意见",
        "awaiting_opinion",
        "opinion_closed",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=WrittenOpinion,
        effect=r.OPINION,
    ),
    TriggerDecl(
        "deemed_no_objection",
        "逾期未提出书面意见，视同无异议",
        "awaiting_opinion",
        "opinion_closed",
        SYSTEM,
        effect=r.deemed_no_objection,
    ),
    TriggerDecl(
        "issue_final_report",
        "出具监督报告",
        "opinion_closed",
        "handling",
        INSPECTORS,
        guards=ENFORCEMENT,
        payload=FinalReport,
        effect=r.FINAL_REPORT,
        documents=(FINAL_REPORT,),
    ),
)

MEASURES = ("handling", "rectification_ordered", "rectification_check")
"""States in which an interview, a penalty proposal or a referral may accompany the
rectification."""

HANDLING: tuple[TriggerDecl, ...] = (
    *RECTIFICATION.triggers,
    TriggerDecl(
        "interview_head",
        "约谈单位主要负责人",
        MEASURES,
        None,
        INSPECTORS,
        guards=ENFORCEMENT,
        payload=Interview,
        effect=r.interviewed,
        documents=(INTERVIEW_NOTICE,),
    ),
    TriggerDecl(
        "propose_penalty",
        "提出处理处罚意见（报有权机关审批）",
        MEASURES,
        None,
        SUPERVISORS_AND_HEAD,
        guards=(NOT_CASE_INSPECTOR,),
        payload=PenaltyProposal,
        effect=r.penalty_proposed,
        documents=(PENALTY_PROPOSAL,),
    ),
    *TRANSFER.triggers,
    *referral_triggers(MEASURES, r.MATTER, f"{SI_LAW}第七十九条第一款", advice=False),
)

OFFSITE: tuple[TriggerDecl, ...] = (
    TriggerDecl(
        "request_data",
        "通知报送数据（非现场监督）",
        "planned",
        "data_requested",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=DataRequest,
        effect=r.data_requested,
        documents=(DATA_REQUEST,),
    ),
    TriggerDecl(
        "record_submission",
        "登记收到报送数据",
        "data_requested",
        "data_review",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Submission,
        effect=r.submitted,
    ),
    TriggerDecl(
        "request_resubmission",
        "要求补报或重新报送",
        "data_review",
        "data_requested",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Deficiencies,
        effect=r.data_requested,
        documents=(DATA_RESUBMISSION,),
    ),
    TriggerDecl(
        "accept_data",
        "数据审核通过",
        "data_review",
        "analysis",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
    ),
    TriggerDecl(
        "issue_offsite_report",
        "出具非现场监督报告",
        "analysis",
        "offsite_reported",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=OffsiteReport,
        effect=r.offsite_reported,
        documents=(OFFSITE_REPORT,),
    ),
    TriggerDecl(
        "escalate_onsite",
        "发现严重问题，转现场监督",
        "offsite_reported",
        "escalated",
        INSPECTORS_AND_SUPERVISORS,
        guards=(ACTOR_IS_ASSIGNEE, r.SERIOUS),
        effect=r.ESCALATION,
        opens_case=LinkedCase(ID, "非现场监督发现严重违法违纪问题，实施现场监督"),
    ),
    TriggerDecl(
        "handle_findings",
        "依非现场监督报告处理",
        "offsite_reported",
        "handling",
        INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
    ),
)

TRIGGERS = (
    *ONSITE,
    *HANDLING,
    *OFFSITE,
    TriggerDecl(
        "close",
        "办结",
        ("handling", "offsite_reported"),
        "closed",
        SUPERVISORS,
        payload=Closing,
        effect=CLOSING_EFFECT,
    ),
)

PROCEDURE = ProcedureDecl(
    id=ID,
    version=1,
    title="社会保险基金监督检查",
    initial="planned",
    states=STATES,
    triggers=TRIGGERS,
    description="对社会保险基金收支、管理情况实施现场监督和非现场监督，并依法处理",
    case_prefix="FA",
)
