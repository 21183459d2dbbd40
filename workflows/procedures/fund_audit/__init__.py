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

from engine.domain.county import DocFamily
from engine.domain.procedure import (
    STAY,
    Anchor,
    DocumentDecl,
    LinkedCase,
    PeriodSetting,
    ProcedureDecl,
    StateDecl,
    TimerDecl,
    TriggerDecl,
)
from workflows.blocks.closing import CLOSED, closing
from workflows.blocks.criminal_transfer import CriminalTransfer
from workflows.blocks.rectification import Rectification
from workflows.blocks.referrals import referral_triggers
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    ENFORCEMENT,
    INSPECTORS,
    INSPECTORS_AND_SUPERVISORS,
    NOT_CASE_INSPECTOR,
    SUPERVISORS_AND_HEAD,
    SYSTEM,
    document,
)
from workflows.counties import PeriodKey
from workflows.procedures.fund_audit import rules as r
from workflows.procedures.fund_audit.payloads import (
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

ID = "fund_audit"
SI_LAW = "《中华人民共和国社会保险法》"


def _doc(kind: str, title: str, template: str, abbrev: str) -> DocumentDecl:
    return document(
        kind=kind,
        title=title,
        family=DocFamily.FUND_SUPERVISION,
        abbrev=abbrev,
        template=template,
    )


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
    name="written_opinion",
    label="被监督单位书面意见期限（逾期视同无异议）",
    period=PeriodSetting(key=PeriodKey.WRITTEN_OPINION),
    basis=f"{r.SEED_RULE}（1）③",
    on_expiry="deemed_no_objection",
    # "自收到监督报告之日起10日内提出书面意见" (seed 三（二）5（1）③): from the unit's receipt.
    anchor=Anchor(
        event="收到监督报告日期",
        field="received_on",
        after=r.visit_on,
        after_event="现场检查日期",
    ),
)
DATA_WINDOW = TimerDecl(
    name="data_submission",
    label="报送数据期限",
    period=PeriodSetting(key=PeriodKey.DATA_REQUEST),
    basis=f"{r.SEED_RULE}（2）①（期限由本县确定）",
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
    StateDecl(name="planned", label="已立项（制定监督方案）"),
    StateDecl(name="notified", label="已通知被监督单位（待现场检查）"),
    StateDecl(name="inspecting", label="现场检查中"),
    StateDecl(
        name="awaiting_opinion", label="监督报告已送达（书面意见期）", timers=(OPINION_WINDOW,)
    ),
    StateDecl(name="opinion_closed", label="意见期结束（待出具监督报告）"),
    StateDecl(name="handling", label="监督处理"),
    *RECTIFICATION.states,
    *TRANSFER.states,
    StateDecl(name="data_requested", label="已通知报送数据", timers=(DATA_WINDOW,)),
    StateDecl(name="data_review", label="审核报送数据"),
    StateDecl(name="analysis", label="数据分析"),
    StateDecl(name="offsite_reported", label="非现场监督报告已出具"),
    StateDecl(name="escalated", label="已转现场监督", final=True),
    CLOSED,
)

ONSITE: tuple[TriggerDecl, ...] = (
    TriggerDecl(
        name="notify_inspection",
        label="通知现场检查",
        source="planned",
        dest="notified",
        roles=INSPECTORS,
        guards=(*ENFORCEMENT, r.NOTICE_THREE_DAYS_AHEAD),
        payload=InspectionNotice,
        effect=r.notified,
        documents=(INSPECTION_NOTICE,),
    ),
    TriggerDecl(
        name="start_inspection",
        label="进场检查",
        source="notified",
        dest="inspecting",
        roles=INSPECTORS,
        guards=(*ENFORCEMENT, r.VISIT_DAY_REACHED),
    ),
    TriggerDecl(
        name="seal_records",
        label="封存资料",
        source="inspecting",
        dest=STAY,
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        payload=Sealing,
        effect=r.SEALED,
        documents=(SEALING_NOTICE,),
    ),
    TriggerDecl(
        name="send_report",
        label="送达监督报告（征求意见）",
        source="inspecting",
        dest="awaiting_opinion",
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        payload=DraftReport,
        effect=r.REPORT,
        documents=(DRAFT_REPORT,),
    ),
    TriggerDecl(
        name="record_written_opinion",
        label="登记被监督单位书面意见",
        source="awaiting_opinion",
        dest="opinion_closed",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=WrittenOpinion,
        effect=r.OPINION,
    ),
    TriggerDecl(
        name="deemed_no_objection",
        label="逾期未提出书面意见，视同无异议",
        source="awaiting_opinion",
        dest="opinion_closed",
        roles=SYSTEM,
        effect=r.deemed_no_objection,
    ),
    TriggerDecl(
        name="issue_final_report",
        label="出具监督报告",
        source="opinion_closed",
        dest="handling",
        roles=INSPECTORS,
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
        name="interview_head",
        label="约谈单位主要负责人",
        source=MEASURES,
        dest=STAY,
        roles=INSPECTORS,
        guards=ENFORCEMENT,
        payload=Interview,
        effect=r.INTERVIEWED,
        documents=(INTERVIEW_NOTICE,),
    ),
    TriggerDecl(
        name="propose_penalty",
        label="提出处理处罚意见（报有权机关审批）",
        source=MEASURES,
        dest=STAY,
        roles=SUPERVISORS_AND_HEAD,
        guards=(NOT_CASE_INSPECTOR,),
        payload=PenaltyProposal,
        effect=r.PENALTY_PROPOSED,
        documents=(PENALTY_PROPOSAL,),
    ),
    *TRANSFER.triggers,
    *referral_triggers(MEASURES, r.MATTER, f"{SI_LAW}第七十九条第一款", advice=False),
)

OFFSITE: tuple[TriggerDecl, ...] = (
    TriggerDecl(
        name="request_data",
        label="通知报送数据（非现场监督）",
        source="planned",
        dest="data_requested",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=DataRequest,
        effect=r.data_requested,
        documents=(DATA_REQUEST,),
    ),
    TriggerDecl(
        name="record_submission",
        label="登记收到报送数据",
        source="data_requested",
        dest="data_review",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Submission,
        effect=r.submitted,
    ),
    TriggerDecl(
        name="request_resubmission",
        label="要求补报或重新报送",
        source="data_review",
        dest="data_requested",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=Deficiencies,
        effect=r.data_requested,
        documents=(DATA_RESUBMISSION,),
    ),
    TriggerDecl(
        name="accept_data",
        label="数据审核通过",
        source="data_review",
        dest="analysis",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
    ),
    TriggerDecl(
        name="issue_offsite_report",
        label="出具非现场监督报告",
        source="analysis",
        dest="offsite_reported",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
        payload=OffsiteReport,
        effect=r.OFFSITE_REPORTED,
        documents=(OFFSITE_REPORT,),
    ),
    TriggerDecl(
        name="escalate_onsite",
        label="发现严重问题，转现场监督",
        source="offsite_reported",
        dest="escalated",
        roles=INSPECTORS_AND_SUPERVISORS,
        guards=(ACTOR_IS_ASSIGNEE, r.SERIOUS_PROBLEMS),
        effect=r.ESCALATION,
        opens_case=LinkedCase(procedure=ID, source="非现场监督发现严重违法违纪问题，实施现场监督"),
    ),
    TriggerDecl(
        name="handle_findings",
        label="依非现场监督报告处理",
        source="offsite_reported",
        dest="handling",
        roles=INSPECTORS,
        guards=(ACTOR_IS_ASSIGNEE,),
    ),
)

TRIGGERS = (
    *ONSITE,
    *HANDLING,
    *OFFSITE,
    closing(sources=("handling", "offsite_reported")),
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
