"""Inquiries as a building block: an inquiry notice (询问通知书) asks a person to come and
answer; the inquiry itself is written down in a record the person signs (询问笔录).

《劳动保障监察条例》第十五条第一款第二、三项 (questioning, written inquiries), 第十六条
(at least two inspectors); 《中华人民共和国行政处罚法》第五十五条第二款 (a record is made of
every inquiry). Kept in data["inquiries"].
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field, model_validator

from engine.domain.county import DocFamily
from engine.domain.procedure import STAY, GuardContext, TriggerDecl, guard
from workflows.common import (
    ENFORCEMENT,
    INSPECTORS,
    Evidence,
    Name,
    Payload,
    Text,
    appended,
    document,
    evidence_list,
    listed,
    payload_as,
    today,
)

INQUIRY_NOTICE = document(
    kind="inquiry_notice",
    title="劳动保障监察询问通知书",
    family=DocFamily.INSPECTION,
    abbrev="询",
)


class InquiryNotice(Payload):
    person: Name = Field(description="被询问人（姓名或单位负责人）")
    capacity: Name = Field(description="身份（法定代表人、财务负责人、劳动者……）")
    attend_on: date = Field(description="接受询问的日期")
    place: Name = Field(description="地点")
    matters: Text = Field(description="询问事项和须携带的材料")


class InquiryRecord(Payload):
    person: Name = Field(description="被询问人")
    held_on: date = Field(description="询问日期")
    summary: Text = Field(description="笔录要点")
    record: Evidence = Field(description="询问笔录（附件）")
    signed: bool = Field(description="被询问人已核对签名")
    refusal_note: str = Field(default="", max_length=500, description="拒绝签名的注明")

    @model_validator(mode="after")
    def _signed_or_noted(self) -> InquiryRecord:
        if not self.signed and not self.refusal_note:
            raise ValueError("被询问人拒绝签名的，须由两名监察员在笔录中注明")
        return self


@guard("attend_after_notice", "询问日期在通知之后")
def ATTEND_AFTER_NOTICE(ctx: GuardContext) -> str | None:
    when = payload_as(ctx, InquiryNotice).attend_on
    return None if when > today(ctx) else "询问日期应晚于发出通知的日期"


@guard("inquiry_held", "询问已进行")
def INQUIRY_HELD(ctx: GuardContext) -> str | None:
    held = payload_as(ctx, InquiryRecord).held_on
    return None if held <= today(ctx) else f"询问日期{held.isoformat()}尚未到来"


def _notified(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, InquiryNotice)
    item = {
        **p.model_dump(mode="json"),
        "notified_on": today(ctx).isoformat(),
        "status": "notified",
    }
    return {"inquiries": appended(ctx.data, "inquiries", item)}


def _recorded(ctx: GuardContext) -> dict[str, Any]:
    p = payload_as(ctx, InquiryRecord)
    items = listed(ctx.data, "inquiries")
    record = {
        "held_on": p.held_on.isoformat(),
        "summary": p.summary,
        "record": evidence_list([p.record])[0],
        "signed": p.signed,
        "refusal_note": p.refusal_note,
        "status": "recorded",
        "recorded_by": list(ctx.assignees),
    }
    for item in reversed(items):
        if item["person"] == p.person and item["status"] == "notified":
            item.update(record)
            return {"inquiries": items}
    return {"inquiries": appended(ctx.data, "inquiries", {"person": p.person, **record})}


def inquiry_triggers(sources: tuple[str, ...]) -> tuple[TriggerDecl, ...]:
    """Notify an inquiry and record it, in any of ``sources``, without leaving the state."""
    return (
        TriggerDecl(
            name="issue_inquiry_notice",
            label="发出询问通知书",
            source=sources,
            dest=STAY,
            roles=INSPECTORS,
            guards=(*ENFORCEMENT, ATTEND_AFTER_NOTICE),
            payload=InquiryNotice,
            effect=_notified,
            documents=(INQUIRY_NOTICE,),
        ),
        TriggerDecl(
            name="record_inquiry",
            label="制作询问笔录",
            source=sources,
            dest=STAY,
            roles=INSPECTORS,
            guards=(*ENFORCEMENT, INQUIRY_HELD),
            payload=InquiryRecord,
            effect=_recorded,
        ),
    )
