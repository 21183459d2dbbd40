"""案件查询、案件详情、备注、附件."""

from __future__ import annotations

import mimetypes
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response

from engine.domain.case import Case
from engine.domain.delivery import RECORD_SERVICE, SERVICE_ACTION
from engine.domain.errors import CaseflowError, InvalidInput
from engine.domain.roles import Role
from engine.entrypoints.diagrams import state_svg
from engine.entrypoints.web import timeline
from engine.entrypoints.web.deps import Form, Services, Session, page, redirect
from engine.entrypoints.web.filters import People
from engine.service.case_commands import ASSIGNERS, MAX_ATTACHMENT_BYTES
from engine.service.read_models import CaseQuery

router = APIRouter()

INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}


def _date(value: str, label: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(label, f"「{value}」不是有效的日期（YYYY-MM-DD）") from None


@router.get("/cases")
def search(
    request: Request,
    services: Services,
    session: Session,
    q: Annotated[str, Query(max_length=200)] = "",
    procedure: Annotated[str, Query(max_length=64)] = "",
    state: Annotated[str, Query(max_length=64)] = "",
    unit: Annotated[str, Query(max_length=200)] = "",
    inspector: Annotated[str, Query(max_length=64)] = "",
    status: Annotated[str, Query(max_length=16)] = "",
    opened_from: Annotated[str, Query(max_length=10)] = "",
    opened_to: Annotated[str, Query(max_length=10)] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1,
) -> Response:
    error = ""
    found = None
    try:
        query = CaseQuery(
            text=q or None,
            procedure=procedure or None,
            state=state or None,
            unit=unit or None,
            inspector=inspector or None,
            open_only=status == "open",
            overdue_only=status == "overdue",
            opened_from=_date(opened_from, "登记日期（起）"),
            opened_to=_date(opened_to, "登记日期（止）"),
            scope=services.queries.scope_of(session.user),
            page=page_no,
            per_page=50,
        )
        found = services.queries.search(query)
    except CaseflowError as exc:
        error = f"{exc.message}（{exc.code}）"
    procedures = services.registry.all_latest()
    context = {
        "found": found,
        "error": error,
        "params": dict(request.query_params),
        "procedures": procedures,
        "states": sorted({(c.decl.id, s.name, s.label) for c in procedures for s in c.decl.states}),
        "units": request.app.state.people.units(),
        "inspectors": request.app.state.people.inspectors(),
    }
    template = (
        "cases/_results.html"
        if request.headers.get("hx-target") == "results"
        else "cases/search.html"
    )
    return page(request, template, context, status=422 if error else 200)


@router.get("/cases/{ref}")
def detail(request: Request, services: Services, session: Session, ref: str) -> Response:
    file = services.queries.case_file(session.user, ref)
    view = file.view
    compiled = services.queries.compiled_for(view.case)
    people: People = request.app.state.people
    history = [timeline.entry(e, compiled, people.name) for e in file.history]
    role = session.user.role
    actions = [(t, label) for t, label in view.allowed if role in compiled.triggers[t][0].roles]
    if view.documents and role in SERVICE_ACTION.roles and not view.case.closed_at:
        actions.append((RECORD_SERVICE, SERVICE_ACTION.label))
    return page(
        request,
        "cases/detail.html",
        {
            "view": view,
            "case": view.case,
            "compiled": compiled,
            "timeline": list(reversed(history)),
            "deadlines": file.deadlines,
            "facts": timeline.facts(view.case.data),
            "threshold": view.case.data.get("criminal_threshold"),
            "actions": actions,
            "files": file.notices,
            "may_write": role is not Role.ADMIN,
            "may_assign": role in ASSIGNERS and not view.case.closed_at,
            "max_mb": MAX_ATTACHMENT_BYTES // 1024 // 1024,
        },
    )


@router.get("/cases/{ref}/assign")
def assign_form(request: Request, services: Services, session: Session, ref: str) -> Response:
    view = services.queries.visible_case(session.user, ref)
    return _assign_page(request, services, view.case, None)


def _assign_page(
    request: Request,
    services: Services,
    case: Case,
    error: str | None,
    chosen: list[str] | None = None,
) -> Response:
    inspectors = [u for u in services.users.users() if u.active and u.role is Role.INSPECTOR]
    inspectors.sort(key=lambda u: (u.unit != case.unit, u.name))
    context = {
        "case": case,
        "inspectors": inspectors,
        "chosen": chosen if chosen is not None else case.assignees,
        "error": error,
        "permitted": session_role(request) in ASSIGNERS,
    }
    return page(request, "cases/assign.html", context, status=422 if error else 200)


def session_role(request: Request) -> Role | None:
    session = request.state.session
    return session.user.role if session is not None else None


@router.post("/cases/{ref}/assign")
def assign(
    request: Request, services: Services, session: Session, form: Form, ref: str
) -> Response:
    view = services.queries.visible_case(session.user, ref)
    raw = form.get("inspectors", [])
    chosen = [str(v) for v in raw] if isinstance(raw, list) else [str(raw)]
    try:
        services.cases.assign(
            ref,
            chosen,
            actor=session.user.name,
            reason=str(form.get("reason", ""))[:2000],
            expected_version=int(str(form.get("version") or view.case.version)),
        )
    except CaseflowError as exc:
        fresh = services.queries.visible_case(session.user, ref).case
        return _assign_page(request, services, fresh, f"{exc.message}（{exc.code}）", chosen)
    return redirect(f"/cases/{quote(ref)}", "已指派承办人")


@router.get("/cases/{ref}/diagram.svg")
def diagram(services: Services, session: Session, ref: str) -> Response:
    view = services.queries.visible_case(session.user, ref)
    svg = state_svg(services.queries.compiled_for(view.case), view.case.state)
    return Response(svg, media_type="image/svg+xml")


@router.post("/cases/{ref}/notes")
def add_note(services: Services, session: Session, form: Form, ref: str) -> Response:
    services.queries.visible_case(session.user, ref)
    text = str(form.get("text", ""))
    if len(text) > 4000:
        raise InvalidInput("备注", "最多 4000 字")
    services.cases.add_note(ref, text, actor=session.user.name)
    return redirect(f"/cases/{quote(ref)}#timeline", "已添加备注")


@router.post("/cases/{ref}/attachments")
async def upload(
    request: Request,
    services: Services,
    session: Session,
    form: Form,
    ref: str,
    file: Annotated[UploadFile, File()],
) -> Response:
    services.queries.visible_case(session.user, ref)
    content = await file.read(MAX_ATTACHMENT_BYTES + 1)
    name = (file.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    note = str(form.get("note", ""))[:500]
    services.cases.add_attachment(ref, name, content, actor=session.user.name, note=note)
    if request.headers.get("hx-request") == "true":
        return Response(
            status_code=204, headers={"HX-Redirect": f"/cases/{quote(ref)}#attachments"}
        )
    return redirect(f"/cases/{quote(ref)}#attachments", f"已上传附件 {name}")


@router.get("/attachments/{attachment_id}")
def attachment(
    services: Services, session: Session, attachment_id: int, inline: bool = False
) -> Response:
    stored, content = services.queries.visible_attachment(session.user, attachment_id)
    media = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    shown = inline and media in INLINE_TYPES
    disposition = "inline" if shown else "attachment"
    headers = {
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(stored.name)}",
        "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        "X-Frame-Options": "SAMEORIGIN",
    }
    kind = media if shown else "application/octet-stream"
    return Response(content, media_type=kind, headers=headers)
