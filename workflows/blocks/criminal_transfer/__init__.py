"""Transfer of a suspected crime to the police (《行政执法机关移送涉嫌犯罪案件的规定》,
国务院令第310号) as a building block of the enforcement procedures.

two inspectors report → the head decides within 3 days (art. 5) → transfer within 24 hours
with the 涉嫌犯罪案件移送书 (arts. 5, 6) → the police decide within 3 days (art. 8) → accepted:
materials handed over within 3 days (art. 12); declined: the bureau may ask the police to
reconsider within 3 days, the police answer within 3 days (art. 9), otherwise the bureau
handles the case administratively (art. 10). The transfer is kept in data["referrals"].
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.deadlines import Period, Unit
from engine.domain.county import DocFamily
from engine.domain.procedure import (
    Anchor,
    Branch,
    Guard,
    StateDecl,
    TimerDecl,
    TriggerDecl,
    branches,
)
from workflows.blocks.criminal_transfer import rules as r
from workflows.blocks.criminal_transfer.payloads import (
    HandOver,
    HeadDecision,
    PoliceAnswer,
    ReconsiderationRequest,
    TransferReport,
)
from workflows.common import (
    ACTOR_IS_ASSIGNEE,
    ENFORCEMENT,
    HEAD,
    INSPECTORS,
    NOT_CASE_INSPECTOR,
    SYSTEM,
    document,
)

BASIS = r.BASIS


TRANSFER_REPORT = document(
    kind="transfer_report", title="涉嫌犯罪案件移送报告", family=DocFamily.TRANSFER, abbrev="报"
)
TRANSFER_LETTER = document(
    kind="criminal_transfer", title="涉嫌犯罪案件移送书", family=DocFamily.TRANSFER
)
RECONSIDERATION_REQUEST = document(
    kind="police_reconsideration",
    title="提请复议书（不予立案决定）",
    family=DocFamily.TRANSFER,
    abbrev="复",
)


def _days(
    name: str,
    label: str,
    days: int,
    article: str,
    on_expiry: str | None = None,
    anchor: Anchor | None = None,
) -> TimerDecl:
    return TimerDecl(
        name=name,
        label=label,
        period=Period(days, Unit.DAYS),
        basis=f"{BASIS}{article}",
        on_expiry=on_expiry,
        anchor=anchor,
    )


NOTIFIED = Anchor(
    event="收到不予立案通知日期",
    field="notified_on",
    after=r.transferred_on,
    after_event="移送日期",
)
"""Art. 9: the bureau may ask for reconsideration "自接到不予立案通知书之日起3日内"."""


STATES = (
    StateDecl(
        name="transfer_proposed",
        label="移送报告待局长审批",
        timers=(_days("transfer_decision", "局长审批移送期限", 3, "第五条第二款"),),
    ),
    StateDecl(
        name="transfer_approved",
        label="已批准移送（待移送公安机关）",
        timers=(
            TimerDecl(
                name="transfer_deadline",
                label="批准后移送期限",
                period=Period(24, Unit.HOURS),
                basis=f"{BASIS}第五条第二款",
            ),
        ),
    ),
    StateDecl(
        name="transferred",
        label="已移送公安机关（待决定是否立案）",
        timers=(_days("police_review", "公安机关立案审查期限", 3, "第八条"),),
    ),
    StateDecl(
        name="police_declined",
        label="公安机关不予立案",
        timers=(
            _days(
                "reconsideration_window",
                "提请复议期限",
                3,
                "第九条第一款",
                on_expiry="reconsideration_window_lapsed",
                anchor=NOTIFIED,
            ),
        ),
    ),
    StateDecl(
        name="reconsideration_requested",
        label="已提请公安机关复议",
        timers=(_days("police_reconsideration", "公安机关复议决定期限", 3, "第九条第二款"),),
    ),
    StateDecl(
        name="police_accepted",
        label="公安机关已立案（待移交材料）",
        timers=(_days("hand_over", "移交涉案物品和材料期限", 3, "第十二条"),),
    ),
)

APPROVED = (NOT_CASE_INSPECTOR,)
ASSIGNEE = (ACTOR_IS_ASSIGNEE,)


@dataclass(frozen=True, kw_only=True)
class CriminalTransfer:
    """The fragment as a procedure uses it: from where a transfer may be proposed, which
    extra conditions it needs, and where the case goes when the police take it (after the
    hand-over) or do not (administrative handling, art. 10)."""

    sources: tuple[str, ...]
    matter: str
    accepted_to: str
    declined_to: str
    guards: tuple[Guard, ...] = ()

    @property
    def states(self) -> tuple[StateDecl, ...]:
        return STATES

    @property
    def triggers(self) -> tuple[TriggerDecl, ...]:
        return (*self._proposal(), *self._police(), *self._after_police())

    def _proposal(self) -> tuple[TriggerDecl, ...]:
        """Two inspectors report, the head decides (art. 5)."""
        return (
            TriggerDecl(
                name="propose_transfer",
                label="提出移送涉嫌犯罪案件报告",
                source=self.sources,
                dest="transfer_proposed",
                roles=INSPECTORS,
                guards=(*ENFORCEMENT, r.police_referral(self.matter), *self.guards),
                payload=TransferReport,
                effect=r.proposed(self.matter),
                documents=(TRANSFER_REPORT,),
            ),
            TriggerDecl(
                name="approve_transfer",
                label="批准移送（局长）",
                source="transfer_proposed",
                dest="transfer_approved",
                roles=HEAD,
                guards=APPROVED,
                payload=HeadDecision,
                effect=r.decided(True),
            ),
            TriggerDecl(
                name="refuse_transfer",
                label="不批准移送（局长，理由记录在案）",
                source="transfer_proposed",
                dest=self.declined_to,
                roles=HEAD,
                guards=APPROVED,
                payload=HeadDecision,
                effect=r.decided(False),
                reason_required=True,
            ),
        )

    def _police(self) -> tuple[TriggerDecl, ...]:
        """The transfer letter (arts. 5, 6) and the police's decision (arts. 8, 9)."""
        answered = (*ASSIGNEE, r.POLICE_REFERRAL_OPEN)
        return (
            TriggerDecl(
                name="transfer_to_police",
                label="向公安机关移送",
                source="transfer_approved",
                dest="transferred",
                roles=INSPECTORS,
                guards=(*ASSIGNEE, r.TRANSFER_MATTER_REFERABLE),
                effect=r.sent,
                documents=(TRANSFER_LETTER,),
            ),
            TriggerDecl(
                name="police_accept",
                label="公安机关决定立案",
                source=("transferred", "reconsideration_requested"),
                dest="police_accepted",
                roles=INSPECTORS,
                guards=answered,
                payload=PoliceAnswer,
                effect=r.police_answer("立案"),
            ),
            *branches(
                name="police_decline",
                label="公安机关决定不予立案",
                source="transferred",
                roles=INSPECTORS,
                guards=answered,
                payload=PoliceAnswer,
                routes=(
                    Branch(dest="police_declined", effect=r.police_answer("不予立案")),
                    Branch(
                        source="reconsideration_requested",
                        dest=self.declined_to,
                        effect=r.police_answer("复议后仍不予立案"),
                    ),
                ),
            ),
        )

    def _after_police(self) -> tuple[TriggerDecl, ...]:
        """Reconsideration (art. 9), administrative handling (art. 10), hand-over (art. 12)."""
        return (
            TriggerDecl(
                name="request_police_reconsideration",
                label="提请公安机关复议",
                source="police_declined",
                dest="reconsideration_requested",
                roles=INSPECTORS,
                guards=ASSIGNEE,
                payload=ReconsiderationRequest,
                effect=r.reconsideration,
                documents=(RECONSIDERATION_REQUEST,),
            ),
            TriggerDecl(
                name="accept_police_decision",
                label="不提请复议，依法作行政处理",
                source="police_declined",
                dest=self.declined_to,
                roles=INSPECTORS,
                guards=ASSIGNEE,
            ),
            TriggerDecl(
                name="reconsideration_window_lapsed",
                label="提请复议期限届满，依法作行政处理",
                source="police_declined",
                dest=self.declined_to,
                roles=SYSTEM,
            ),
            TriggerDecl(
                name="hand_over_materials",
                label="移交涉案物品和材料",
                source="police_accepted",
                dest=self.accepted_to,
                roles=INSPECTORS,
                guards=ASSIGNEE,
                payload=HandOver,
                effect=r.handed_over,
            ),
        )
