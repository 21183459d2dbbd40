"""Plain-data views of engine objects for `--json` output and for display."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.adapters.anchors import Anchor
from engine.deadlines import LOCAL_TZ
from engine.domain.auth import AuditEntry
from engine.domain.entries import plain_data
from engine.domain.history import HistoryEvent
from engine.domain.procedure import CompiledProcedure
from engine.domain.users import User
from engine.service.board import BoardRow
from engine.service.case_queries import CaseView, VerifyReport
from engine.service.read_models import CaseSummary, IssuedDocument, StoredTimer


def local(at: datetime | None) -> str | None:
    return at.astimezone(LOCAL_TZ).isoformat(timespec="seconds") if at else None


def local_short(at: datetime | None) -> str:
    return at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if at else ""


def user_dict(u: User) -> dict[str, Any]:
    return {
        "name": u.name,
        "role": str(u.role),
        "role_label": u.role.label,
        "unit": u.unit,
        "display_name": u.display_name,
        "cert_no": u.cert_no,
        "title": u.title,
        "active": u.active,
    }


def summary_dict(s: CaseSummary, state_label: str) -> dict[str, Any]:
    return {
        "ref": s.ref,
        "procedure": s.procedure,
        "procedure_version": s.procedure_version,
        "state": s.state,
        "state_label": state_label,
        "subject": s.subject_name,
        "unit": s.unit,
        "assignees": s.assignees,
        "opened_at": local(s.opened_at),
        "closed_at": local(s.closed_at),
        "version": s.version,
        "overdue": s.overdue,
    }


def timer_dict(t: StoredTimer) -> dict[str, Any]:
    return {
        "id": t.id,
        "name": t.name,
        "label": t.label,
        "state": t.state,
        "period": {"amount": t.period_amount, "unit": t.period_unit},
        "basis": t.basis,
        "started_at": local(t.started_at),
        "last_day": t.last_day,
        "due_at": local(t.due_at),
        "provisional": t.provisional,
        "on_expiry": t.on_expiry,
        "status": t.status,
    }


def document_dict(d: IssuedDocument, with_html: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": d.id,
        "case": d.case_ref,
        "kind": d.kind,
        "title": d.title,
        "number": d.number,
        "sha256": d.sha256,
        "issued_at": local(d.issued_at),
        "issued_by": d.issued_by,
    }
    if with_html:
        out["html"] = d.html
    return out


def case_dict(view: CaseView) -> dict[str, Any]:
    c = view.case
    return {
        "ref": c.ref,
        "procedure": c.procedure,
        "procedure_title": view.procedure_title,
        "procedure_version": c.procedure_version,
        "state": c.state,
        "state_label": view.state_label,
        "version": c.version,
        "subject": {"name": c.subject.name, "address": c.subject.address, "uscc": c.subject.uscc},
        "source": c.source,
        "unit": c.unit,
        "matter": c.matter,
        "assignees": c.assignees,
        "opened_by": c.opened_by,
        "opened_at": local(c.opened_at),
        "closed_at": local(c.closed_at),
        "overdue": c.overdue,
        "data": plain_data(c.data),
        "allowed_triggers": [{"trigger": t, "label": label} for t, label in view.allowed],
        "timers": [timer_dict(t) for t in view.timers],
        "documents": [document_dict(d) for d in view.documents],
        "attachments": [
            {
                "id": a.id,
                "name": a.name,
                "sha256": a.sha256,
                "size": a.size,
                "added_at": local(a.added_at),
                "added_by": a.added_by,
            }
            for a in view.attachments
        ],
    }


def event_dict(e: HistoryEvent) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": local(e.at),
        "actor": e.actor,
        "channel": e.payload.get("_channel", ""),
        "kind": str(e.kind),
        "trigger": e.trigger,
        "from": e.from_state,
        "to": e.to_state,
        "payload": e.payload,
        "reason": e.reason,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }


def board_row_dict(r: BoardRow) -> dict[str, Any]:
    return {
        "case": r.case_ref,
        "procedure": r.procedure,
        "state": r.state_label,
        "subject": r.subject,
        "unit": r.unit,
        "assignees": r.assignees,
        "timer": r.timer,
        "label": r.label,
        "basis": r.basis,
        "last_day": r.last_day,
        "due_at": local(r.due_at),
        "rule": {"amount": r.rule.amount, "unit": str(r.rule.unit)},
        "days_left": r.days_left,
        "overdue": r.overdue,
        "provisional": r.provisional,
        "paused": r.paused,
    }


def verify_dict(r: VerifyReport) -> dict[str, Any]:
    return {
        "checked": r.checked,
        "users": r.users,
        "anchors": r.anchors,
        "unreplayable": r.unreplayable,
        "ok": not r.broken,
        "broken": [
            {
                "code": str(b.check),
                "label": b.label,
                "case": b.case_ref or None,
                "user": b.user or None,
                "seq": b.seq,
                "problem": b.problem,
            }
            for b in r.broken
        ],
    }


def anchor_dict(a: Anchor) -> dict[str, Any]:
    return {
        "line": a.line,
        "at": local(a.at),
        "cases": a.cases,
        "root": a.root,
        "short": a.short,
    }


def procedure_dict(c: CompiledProcedure) -> dict[str, Any]:
    d = c.decl
    return {
        "id": d.id,
        "version": d.version,
        "title": d.title,
        "description": d.description,
        "initial": d.initial,
        "states": [
            {
                "name": st.name,
                "label": st.label,
                "final": st.final,
                "timers": [{"name": t.name, "label": t.label, "basis": t.basis} for t in st.timers],
            }
            for st in d.states
        ],
        "triggers": [
            {"name": n, "label": c.trigger_label(n), "roles": sorted(str(r) for r in ts[0].roles)}
            for n, ts in c.triggers.items()
        ],
    }


def audit_dict(e: AuditEntry) -> dict[str, Any]:
    return {
        "at": e.at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S"),
        "kind": str(e.kind),
        "kind_label": e.kind.label,
        "actor": e.actor,
        "subject": e.subject,
        "detail": e.detail,
        "channel": e.channel,
        "ip": e.ip,
    }
