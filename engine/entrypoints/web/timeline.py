"""A case's history as people read it: each event a sentence with its details under their
Chinese field labels (from the trigger's payload model), never raw JSON; and the facts of
the case that matter at a glance (amounts claimed, admitted, paid and outstanding, workers,
findings, the penalty)."""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from pydantic import BaseModel

from engine.deadlines import Period, Unit
from engine.domain.history import EventKind, HistoryEvent
from engine.domain.procedure import CompiledProcedure
from engine.entrypoints.web.filters import yuan

KIND_TITLES = {
    EventKind.OPENED: "登记案件",
    EventKind.ASSIGNED: "指派承办人",
    EventKind.NOTE: "备注",
    EventKind.ATTACHMENT: "上传附件",
    EventKind.DOCUMENT: "制发文书",
    EventKind.DEADLINE: "期限变更",
    EventKind.REMINDER: "期限提醒",
    EventKind.OVERDUE: "逾期督办",
}
OPENED_LABELS = {"source": "来源", "unit": "承办单位", "matter": "管理事项"}


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    at: datetime
    actor: str
    kind: str
    title: str
    change: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)
    reason: str = ""
    documents: list[tuple[int, str]] = field(default_factory=list)
    """(document id, its number)."""
    hash: str = ""


def _labels(model: type[BaseModel] | None) -> dict[str, tuple[str, Any]]:
    if model is None:
        return {}
    return {name: (f.description or name, f.annotation) for name, f in model.model_fields.items()}


def show(value: Any, annotation: Any = None) -> str:
    """A stored value in words: amounts in yuan, yes/no, an enum's Chinese name."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(show(v, _item(annotation)) for v in value) or "—"
    if isinstance(value, dict):
        return str(value.get("name") or value.get("label") or "、".join(map(str, value.values())))
    for kind in _kinds(annotation):
        if isinstance(kind, type) and issubclass(kind, Enum):
            try:
                return str(getattr(kind(value), "label", value))
            except ValueError:
                return str(value)
        if kind is Decimal:
            return yuan(value)
        if typing.get_origin(kind) is typing.Literal:
            return str(value)
    return str(value)


def _kinds(annotation: Any) -> list[Any]:
    if annotation is None:
        return []
    return [annotation, *(k for a in typing.get_args(annotation) for k in _kinds(a))]


def _item(annotation: Any) -> Any:
    args = typing.get_args(annotation)
    return args[0] if args else None


def _clock(note: Mapping[str, Any]) -> str:
    if "extend" in note:
        by = note.get("by") or {}
        return f"期限延长 {Period(int(by['amount']), Unit(by['unit'])).label_zh}"
    return "期限中止" if note.get("pause") else "期限恢复计算"


def entry(
    e: HistoryEvent, compiled: CompiledProcedure, person: Callable[[str], str]
) -> TimelineEntry:
    base: dict[str, Any] = {
        "seq": e.seq,
        "at": e.at,
        "actor": person(e.actor),
        "kind": str(e.kind),
        "hash": e.hash,
    }
    if e.kind is EventKind.FIRED and e.trigger in compiled.triggers:
        return _fired(e, compiled, base, person)
    payload = dict(e.payload)
    details: list[tuple[str, str]] = []
    change = ""
    if e.kind is EventKind.OPENED:
        change = compiled.state_label(e.to_state) if e.to_state in compiled.states else ""
        labels = _labels(compiled.decl.intake)
        data = payload.get("data") or {}
        details = [(OPENED_LABELS[k], show(payload[k])) for k in OPENED_LABELS if payload.get(k)]
        details += [
            (labels[k][0], show(v, labels[k][1]))
            for k, v in data.items()
            if k in labels and v not in (None, "")
        ]
    elif e.kind is EventKind.ASSIGNED:
        before, after = payload.get("from") or [], payload.get("to") or []
        details = [("原承办人", "、".join(map(person, before)) or "无")]
        details.append(("现承办人", "、".join(map(person, after))))
    elif e.kind is EventKind.NOTE:
        details = [("内容", str(payload.get("text", "")))]
    elif e.kind is EventKind.ATTACHMENT:
        size = int(payload.get("size") or 0)
        details = [("文件", f"{payload.get('name')}（{_size(size)}）")]
        if payload.get("note"):
            details.append(("说明", str(payload["note"])))
    title = KIND_TITLES.get(e.kind, str(e.kind))
    return TimelineEntry(**base, title=title, change=change, details=details, reason=e.reason)


def _fired(
    e: HistoryEvent,
    compiled: CompiledProcedure,
    base: dict[str, Any],
    person: Callable[[str], str],
) -> TimelineEntry:
    assert e.trigger is not None
    labels = _labels(compiled.triggers[e.trigger][0].payload)
    payload = dict(e.payload)
    details = [
        (labels[k][0], show(v, labels[k][1]))
        for k, v in payload.items()
        if not k.startswith("_") and k in labels and v not in (None, "", [])
    ]
    if payload.get("_clock"):
        details.append(("期限", _clock(payload["_clock"])))
    if payload.get("_linked"):
        details.append(("另立案件", "、".join(payload["_linked"])))
    docs = [(int(d["id"]), str(d["number"])) for d in payload.get("_documents") or []]
    change = ""
    if e.from_state != e.to_state and e.from_state and e.to_state:
        change = f"{compiled.state_label(e.from_state)} → {compiled.state_label(e.to_state)}"
    title = compiled.trigger_label(e.trigger)
    return TimelineEntry(
        **base, title=title, change=change, details=details, reason=e.reason, documents=docs
    )


def _size(n: int) -> str:
    return (
        f"{n} 字节"
        if n < 1024
        else f"{n / 1024:.0f} KB"
        if n < 1024**2
        else f"{n / 1024**2:.1f} MB"
    )


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def facts(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What matters at a glance, from the case's data: the arrears and what is still owed,
    the workers, the penalty and its payment, the extra compensation."""
    found = dict(data.get("findings") or {})
    claimed = found.get("claimed", data.get("claimed"))
    workers = found.get("workers", data.get("complainants"))
    admitted, paid = _amount(found.get("admitted")), _amount(data.get("paid_total"))
    rows: list[tuple[str, Any]] = [
        ("主张金额", yuan(claimed) if claimed not in (None, "") else None),
        ("查实欠薪", yuan(admitted) if admitted is not None else None),
        ("争议金额", yuan(found["disputed"]) if _amount(found.get("disputed")) else None),
        ("已支付", yuan(paid) if paid is not None else None),
        ("尚欠", yuan(admitted - (paid or 0)) if admitted is not None else None),
        ("涉及劳动者", f"{workers} 人" if workers else None),
        ("拖欠月数", f"{found['months']} 个月" if found.get("months") else None),
    ]
    penalty = dict(data.get("penalty") or {})
    fine = (penalty.get("decision") or {}).get("fine")
    rows += [
        ("罚款", yuan(fine) if fine else None),
        ("已缴罚款", yuan(penalty["paid_total"]) if fine and penalty.get("paid_total") else None),
    ]
    compensation = (data.get("compensation") or {}).get("amount")
    rows.append(("加付赔偿金", yuan(compensation) if compensation else None))
    return [(label, str(value)) for label, value in rows if value is not None]
