"""Cases: search, open (idempotent), read, fire a trigger, assign, notes, attachments
(idempotent upload). Every read and command goes through the same services as the web
pages: a case outside the token user's view is 404, and what they may do is the engine's
own role and four-eyes checks."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, File, Form, Header, Path, Query, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from engine.domain.subject import Subject
from engine.entrypoints.web.api import schemas, views
from engine.entrypoints.web.api.deps import ApiUser, Services
from engine.service.case_commands import MAX_ATTACHMENT_BYTES
from engine.service.read_models import MAX_PER_PAGE, CaseQuery

router = APIRouter(tags=["案件"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="幂等键：同一用户以同一键重发时返回第一次的结果，不重复创建",
    ),
]
Ref = Annotated[str, Path(max_length=40, description="案件编号", examples=["WA2026-0001"])]


def _fingerprint(*parts: Any) -> str:
    return hashlib.sha256(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _idempotent(
    services: Services,
    user: ApiUser,
    key: str | None,
    fingerprint: str,
    command: Callable[[], tuple[int, dict[str, Any]]],
) -> JSONResponse:
    if key is None:
        status, body = command()
        return JSONResponse(body, status_code=status)
    status, body = services.tokens.once(user.name, key, fingerprint, command)
    return JSONResponse(body, status_code=status, headers={"Idempotency-Key": key})


@router.get("/cases", response_model=schemas.CasePage, summary="案件查询")
def search(
    services: Services,
    user: ApiUser,
    q: Annotated[str, Query(max_length=200, description="案件编号、当事人、信用代码、投诉人")] = "",
    procedure: Annotated[str, Query(max_length=64)] = "",
    state: Annotated[str, Query(max_length=64)] = "",
    unit: Annotated[str, Query(max_length=200)] = "",
    inspector: Annotated[str, Query(max_length=64)] = "",
    open_only: bool = False,
    overdue_only: bool = False,
    opened_from: schemas.IsoDate | None = None,
    opened_to: schemas.IsoDate | None = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
) -> schemas.CasePage:
    found = services.queries.search(
        CaseQuery(
            text=q or None,
            procedure=procedure or None,
            state=state or None,
            unit=unit or None,
            inspector=inspector or None,
            open_only=open_only,
            overdue_only=overdue_only,
            opened_from=opened_from,
            opened_to=opened_to,
            scope=services.queries.scope_of(user),
            page=page,
            per_page=per_page,
        )
    )
    return views.listing(found)


@router.post(
    "/cases", status_code=201, response_model=schemas.CaseOut, summary="登记案件（可带幂等键）"
)
def open_case(
    services: Services, user: ApiUser, body: schemas.OpenCase, key: IdempotencyKey = None
) -> JSONResponse:
    def command() -> tuple[int, dict[str, Any]]:
        subject = Subject.create(body.subject.name, body.subject.address, body.subject.uscc)
        case = services.cases.open_case(
            procedure=body.procedure,
            subject=subject,
            source=body.source,
            actor=user.name,
            data=body.data,
            matter=body.matter,
        )
        return 201, views.case(services, case, user).model_dump(mode="json")

    fingerprint = _fingerprint("open", body.model_dump(mode="json"))
    return _idempotent(services, user, key, fingerprint, command)


@router.get("/cases/{ref}", response_model=schemas.CaseOut, summary="案件详情")
def get_case(services: Services, user: ApiUser, ref: Ref) -> schemas.CaseOut:
    return views.case(services, services.queries.visible_case(user, ref).case, user)


@router.post("/cases/{ref}/actions/{trigger}", response_model=schemas.CaseOut, summary="办理操作")
def fire(
    services: Services,
    user: ApiUser,
    ref: Ref,
    trigger: Annotated[
        str, Path(max_length=64, description="操作代码", examples=["record_payment"])
    ],
    body: schemas.Fire,
) -> schemas.CaseOut:
    services.queries.visible_case(user, ref)
    case = services.cases.fire(
        ref,
        trigger,
        body.payload,
        actor=user.name,
        reason=body.reason,
        expected_version=body.expected_version,
    )
    return views.case(services, case, user)


@router.post("/cases/{ref}/assign", response_model=schemas.CaseOut, summary="指派承办人")
def assign(services: Services, user: ApiUser, ref: Ref, body: schemas.Assign) -> schemas.CaseOut:
    services.queries.visible_case(user, ref)
    case = services.cases.assign(
        ref,
        body.inspectors,
        actor=user.name,
        reason=body.reason,
        expected_version=body.expected_version,
    )
    return views.case(services, case, user)


@router.post(
    "/cases/{ref}/notes", status_code=201, response_model=schemas.CaseOut, summary="添加备注"
)
def add_note(services: Services, user: ApiUser, ref: Ref, body: schemas.Note) -> schemas.CaseOut:
    services.queries.visible_case(user, ref)
    case = services.cases.add_note(
        ref, body.text, actor=user.name, expected_version=body.expected_version
    )
    return views.case(services, case, user)


@router.get("/cases/{ref}/attachments", response_model=list[schemas.Attachment], summary="案件附件")
def attachments(services: Services, user: ApiUser, ref: Ref) -> list[schemas.Attachment]:
    view = services.queries.visible_case(user, ref)
    return [views.attachment(a) for a in view.attachments]


@router.post(
    "/cases/{ref}/attachments",
    status_code=201,
    response_model=schemas.Attachment,
    summary="上传附件（可带幂等键）",
)
async def upload(
    services: Services,
    user: ApiUser,
    ref: Ref,
    file: Annotated[UploadFile, File(description="附件文件")],
    note: Annotated[str, Form(max_length=500)] = "",
    key: IdempotencyKey = None,
) -> JSONResponse:
    content = await file.read(MAX_ATTACHMENT_BYTES + 1)
    name = (file.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200]

    def command() -> tuple[int, dict[str, Any]]:
        services.queries.visible_case(user, ref)
        case = services.cases.add_attachment(ref, name, content, actor=user.name, note=note)
        digest = hashlib.sha256(content).hexdigest()
        stored = [a for a in services.queries.get_case(case.ref).attachments]
        mine = next(a for a in reversed(stored) if a.sha256 == digest and a.name == name)
        return 201, views.attachment(mine).model_dump(mode="json")

    fingerprint = _fingerprint("attach", ref, name, note, hashlib.sha256(content).hexdigest())
    return await run_in_threadpool(_idempotent, services, user, key, fingerprint, command)
