"""登记案件: a form per procedure — the party (统一社会信用代码 checked, duplicates
warned), the source, the matter of the boundary table and the procedure's intake fields."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from engine.domain.errors import InvalidInput, PayloadInvalid
from engine.domain.procedure import CompiledProcedure
from engine.domain.subject import Subject
from engine.entrypoints.web import forms
from engine.entrypoints.web.deps import Form, Services, Session, page, redirect
from engine.service.read_models import CaseQuery
from workflows.counties import CountySettings

router = APIRouter()

SOURCES = (
    "投诉",
    "举报",
    "专项检查",
    "日常巡视检查",
    "书面审查",
    "其他部门移送",
    "上级交办",
    "年度监督计划",
)
PARTY_FIELDS = {"当事人名称": "name", "当事人地址": "address", "统一社会信用代码": "uscc"}


def _matters(services: Services, procedure: str) -> list[tuple[str, str]]:
    settings = services.county.settings
    if not isinstance(settings, CountySettings):
        return []
    return [(m.id, m.title) for m in settings.routing.matters_for_procedure(procedure)]


def _form(
    request: Request,
    services: Services,
    compiled: CompiledProcedure,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
    duplicates: int = 0,
) -> Response:
    intake = compiled.decl.intake
    specs = forms.field_specs(intake, forms.FormContext(), "intake.") if intake else []
    if values:
        forms.refill(specs, values)
    loose = forms.attach_errors(specs, {f"intake.{k}": v for k, v in (errors or {}).items()})
    context = {
        "compiled": compiled,
        "procedures": services.registry.all_latest(),
        "specs": specs,
        "values": values,
        "party_errors": {k: v for k, v in (errors or {}).items() if k in PARTY_FIELDS.values()},
        "problems": [*(problems or []), *loose],
        "sources": SOURCES,
        "matters": _matters(services, compiled.decl.id),
        "duplicates": duplicates,
    }
    status = 422 if errors or problems else 200
    return page(request, "cases/new.html", context, status=status)


@router.get("/cases/new")
def new_case(
    request: Request, services: Services, session: Session, procedure: str = "wage_arrears"
) -> Response:
    compiled = services.registry.latest(procedure)
    return _form(request, services, compiled, {})


@router.post("/cases/new")
def register(request: Request, services: Services, session: Session, form: Form) -> Response:
    compiled = services.registry.latest(str(form.get("procedure", "")))
    try:
        subject = Subject.create(
            str(form.get("name", "")), str(form.get("address", "")), str(form.get("uscc", ""))
        )
    except InvalidInput as exc:
        field = PARTY_FIELDS.get(str(exc.details.get("field")), "name")
        return _form(request, services, compiled, form, {field: str(exc.details["reason"])})
    if not form.get("confirm_duplicate"):
        open_ones = services.queries.search(
            CaseQuery(text=subject.uscc, procedure=compiled.decl.id, open_only=True, per_page=1)
        ).total
        if open_ones:
            return _form(request, services, compiled, form, duplicates=open_ones)
    intake = compiled.decl.intake
    specs = forms.field_specs(intake, forms.FormContext(), "intake.") if intake else []
    data = forms.payload_from_form(specs, form, {})
    try:
        case = services.cases.open_case(
            procedure=compiled.decl.id,
            subject=subject,
            source=str(form.get("source", "")),
            actor=session.user.name,
            data=data or None,
            matter=str(form.get("matter", "")),
        )
    except PayloadInvalid as exc:
        return _form(request, services, compiled, form, exc.problems)
    except InvalidInput as exc:
        return _form(request, services, compiled, form, problems=[exc.message])
    return redirect(f"/cases/{quote(case.ref)}", f"已登记案件 {case.ref}")
