"""办理操作: the form of one action on a case, generated from its trigger's payload model,
and its submission. Only the engine decides whether it may be done; its refusal (a guard,
a field, a version, a role) comes back on the same form with nothing typed lost."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from engine.adapters.notices import amount_in_capitals
from engine.domain.auth import AuditKind
from engine.domain.delivery import RECORD_SERVICE, SERVICE_ACTION
from engine.domain.errors import (
    CaseflowError,
    GuardFailed,
    NotPermitted,
    PayloadInvalid,
    VersionConflict,
)
from engine.domain.procedure import TriggerDecl
from engine.entrypoints.web import forms, timeline
from engine.entrypoints.web.deps import (
    Form,
    NotFoundPage,
    Services,
    Session,
    client,
    page,
    redirect,
)
from engine.entrypoints.web.filters import People
from engine.service.case_queries import CaseView
from workflows.counties import CountySettings

router = APIRouter()


def _context(services: Services, view: CaseView) -> tuple[forms.FormContext, dict[str, Any]]:
    atts = {str(a.id): {"name": a.name, "sha256": a.sha256} for a in view.attachments}
    options = [(str(a.id), a.name) for a in view.attachments]
    departments: list[tuple[str, str]] = []
    settings = services.county.settings
    if isinstance(settings, CountySettings):
        matter = str(view.case.data.get("matter") or view.case.matter or "")
        keys = (
            settings.routing.referral_targets(matter)
            if matter in settings.routing
            else tuple(settings.profile.catalogue)
        )
        current = services.departments.names()  # the admin's renames included
        departments = [(k, current.get(k) or settings.profile.department_name(k)) for k in keys]
    return forms.FormContext(attachments=options, departments=departments), atts


def _render(
    request: Request,
    services: Services,
    view: CaseView,
    decl: TriggerDecl,
    form: dict[str, Any] | None = None,
    error: CaseflowError | None = None,
) -> Response:
    ctx, _ = _context(services, view)
    specs = _specs(decl, ctx, view)
    problems: list[str] = []
    if form is not None:
        forms.refill(specs, form)
    if isinstance(error, PayloadInvalid):
        loose = forms.attach_errors(specs, error.problems)
        reason_error = error.problems.get("reason", "")
        problems = [p for p in loose if not p.startswith("reason")]
    elif isinstance(error, GuardFailed):
        problems = [f"{label}：{why}" for label, why in error.failures]
        reason_error = ""
    else:
        problems = [error.message] if error else []
        reason_error = ""
    version = view.case.version if form is None else int(form.get("version") or view.case.version)
    changes: list[timeline.TimelineEntry] = []
    if isinstance(error, VersionConflict):
        people: People = request.app.state.people
        compiled = services.queries.compiled_for(view.case)
        newer = [e for e in services.queries.history(view.case.ref) if e.seq > version]
        changes = [timeline.entry(e, compiled, people.name) for e in newer]
        version = view.case.version  # a second submission, after reading, goes through
    context = {
        "view": view,
        "case": view.case,
        "decl": decl,
        "specs": specs,
        "problems": problems,
        "error": error,
        "reason": "" if form is None else str(form.get("reason", "")),
        "reason_error": reason_error,
        "version": version,
        "changes": changes,
        "permitted": _permitted(decl, request),
    }
    status = 200 if error is None else (409 if isinstance(error, VersionConflict) else 422)
    if isinstance(error, NotPermitted):
        status = 403
    return page(request, "cases/action.html", context, status=status)


def _specs(decl: TriggerDecl, ctx: forms.FormContext, view: CaseView) -> list[forms.FieldSpec]:
    specs = forms.field_specs(decl.payload, ctx) if decl.payload else []
    if decl is SERVICE_ACTION:  # the document served: one of the case's documents
        [document] = [s for s in specs if s.name == "document"]
        document.widget = "select"
        document.options = [(str(d.id), f"{d.title}（{d.number}）") for d in view.documents]
        document.help = "内部文书（审批表、报告）和送达回证本身不需要送达，选择后会被拒绝"
    return specs


def _permitted(decl: TriggerDecl, request: Request) -> bool:
    session = request.state.session
    return session is not None and session.user.role in decl.roles


def _decl(services: Services, view: CaseView, trigger: str) -> TriggerDecl:
    if trigger == RECORD_SERVICE:
        return SERVICE_ACTION
    compiled = services.queries.compiled_for(view.case)
    branches = compiled.triggers.get(trigger)
    if not branches:
        raise NotFoundPage("操作")
    return branches[0]


@router.get("/cases/{ref}/actions/{trigger}")
def action_form(
    request: Request, services: Services, session: Session, ref: str, trigger: str
) -> Response:
    view = services.queries.visible_case(session.user, ref)
    return _render(request, services, view, _decl(services, view, trigger))


@router.post("/cases/{ref}/actions/{trigger}")
def act(
    request: Request, services: Services, session: Session, form: Form, ref: str, trigger: str
) -> Response:
    view = services.queries.visible_case(session.user, ref)
    decl = _decl(services, view, trigger)
    ctx, atts = _context(services, view)
    specs = _specs(decl, ctx, view)
    payload = forms.payload_from_form(specs, form, atts) if decl.payload else None
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        version = view.case.version
    try:
        if decl is SERVICE_ACTION:
            services.cases.record_service(
                ref, payload or {}, actor=session.user.name, expected_version=version
            )
        else:
            services.cases.fire(
                ref,
                trigger,
                payload,
                actor=session.user.name,
                reason=str(form.get("reason", ""))[:4000],
                expected_version=version,
            )
    except CaseflowError as exc:
        if isinstance(exc, NotPermitted):
            services.auth.record_event(
                AuditKind.PERMISSION_DENIED, session.user.name, ref, exc.message, client(request)
            )
        fresh = services.queries.visible_case(session.user, ref)
        return _render(request, services, fresh, decl, form, exc)
    return redirect(f"/cases/{quote(ref)}", f"已办理：{decl.label}")


@router.get("/capitals")
def capitals(request: Request, session: Session) -> HTMLResponse:
    """An amount as it is written in capitals (大写), shown as it is typed."""
    raw = next(iter(request.query_params.values()), "").strip()
    try:
        text = amount_in_capitals(raw) if raw else ""
    except (ValueError, ArithmeticError):
        text = "（金额格式不正确）"
    return HTMLResponse(f"<span>{text}</span>" if text else "<span></span>")
