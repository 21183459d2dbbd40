"""The engine's objects as the API's bodies."""

from __future__ import annotations

from engine.bootstrap import App
from engine.domain.case import Case
from engine.domain.entries import plain_data
from engine.domain.history import HistoryEvent
from engine.domain.users import User
from engine.entrypoints.web.api import schemas
from engine.service.board import BoardRow
from engine.service.case_queries import CaseListing
from engine.service.document_ports import DocumentFormat
from engine.service.read_models import IssuedDocument, Page, StoredAttachment


def case(services: App, found: Case, viewer: User) -> schemas.CaseOut:
    compiled = services.registry.get(found.procedure, found.procedure_version)
    actions = [
        schemas.Action(
            trigger=t,
            label=compiled.trigger_label(t),
            permitted=viewer.role in compiled.triggers[t][0].roles,
        )
        for t in compiled.allowed_triggers(found.state)
    ]
    return schemas.CaseOut(
        ref=found.ref,
        procedure=found.procedure,
        procedure_title=compiled.decl.title,
        procedure_version=found.procedure_version,
        state=found.state,
        state_label=compiled.state_label(found.state),
        version=found.version,
        unit=found.unit,
        subject=schemas.SubjectOut(
            name=found.subject.name, address=found.subject.address, uscc=found.subject.uscc
        ),
        source=found.source,
        matter=found.matter,
        opened_by=found.opened_by,
        opened_at=found.opened_at,
        closed_at=found.closed_at,
        overdue=found.overdue,
        assignees=list(found.assignees),
        data=plain_data(found.data),
        actions=actions,
    )


def listing(page: Page[CaseListing]) -> schemas.CasePage:
    items = [
        schemas.CaseItem(
            ref=x.summary.ref,
            procedure=x.summary.procedure,
            procedure_title=x.procedure_title,
            state=x.summary.state,
            state_label=x.state_label,
            subject_name=x.summary.subject_name,
            subject_uscc=x.summary.subject_uscc,
            unit=x.summary.unit,
            assignees=list(x.summary.assignees),
            source=x.summary.source,
            complainant=x.summary.complainant,
            opened_at=x.summary.opened_at,
            closed_at=x.summary.closed_at,
            version=x.summary.version,
            overdue=x.summary.overdue,
        )
        for x in page.items
    ]
    return schemas.CasePage(
        items=items, total=page.total, page=page.page, per_page=page.per_page, pages=page.pages
    )


def event(e: HistoryEvent) -> schemas.Event:
    return schemas.Event(
        seq=e.seq,
        at=e.at,
        actor=e.actor,
        kind=str(e.kind),
        trigger=e.trigger,
        from_state=e.from_state,
        to_state=e.to_state,
        payload=dict(e.payload),
        reason=e.reason,
        hash=e.hash,
    )


def deadline(row: BoardRow) -> schemas.Deadline:
    return schemas.Deadline(
        case_ref=row.case_ref,
        procedure=row.procedure,
        procedure_title=row.procedure_title,
        state_label=row.state_label,
        subject=row.subject,
        unit=row.unit,
        assignees=list(row.assignees),
        timer=row.timer,
        label=row.label,
        basis=row.basis,
        last_day=row.last_day,
        due_at=row.due_at,
        rule=f"{row.rule.amount} {row.rule.unit.value}",
        days_left=row.days_left,
        left_text=row.left_text,
        overdue=row.overdue,
        provisional=row.provisional,
        paused=row.paused,
    )


def document(doc: IssuedDocument) -> schemas.Document:
    return schemas.Document(
        id=doc.id,
        case_ref=doc.case_ref,
        kind=doc.kind,
        title=doc.title,
        number=doc.number,
        issued_at=doc.issued_at,
        issued_by=doc.issued_by,
        sha256=doc.sha256,
        formats=[f.value for f in DocumentFormat],
    )


def attachment(a: StoredAttachment) -> schemas.Attachment:
    return schemas.Attachment(
        id=a.id,
        case_ref=a.case_ref,
        name=a.name,
        sha256=a.sha256,
        size=a.size,
        added_at=a.added_at,
        added_by=a.added_by,
    )


def user(u: User) -> schemas.UserOut:
    return schemas.UserOut(
        name=u.name,
        role=str(u.role),
        role_label=u.role.label,
        unit=u.unit,
        display_name=u.display_name,
        active=u.active,
    )
