"""Every failure of the JSON API as problem details (RFC 9457, application/problem+json)
with the engine's stable code and Chinese message, and an HTTP status that matches: 401 no
or an invalid token, 403 not permitted, 404 unknown or outside one's view, 409 a version
(or state) conflict, 422 an invalid payload or a failed guard. Nothing unexpected leaks:
it is a 500 problem with a reference number the log also carries."""

from __future__ import annotations

import logging
import uuid
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from engine.domain.auth import AuditKind
from engine.domain.errors import (
    CaseflowError,
    CaseNotFound,
    DatabaseBusy,
    NotPermitted,
    TriggerNotAllowed,
    UnknownUser,
    UserExists,
    VersionConflict,
)
from engine.entrypoints.web.api.schemas import Problem
from engine.service.api_tokens import IdempotencyInProgress, TokenNotFound
from engine.service.auth import Client
from engine.service.documents import DocumentIntegrityError, DocumentNotFound

log = logging.getLogger("caseflow.api")

MEDIA_TYPE = "application/problem+json"


class Unauthorized(Exception):
    """No token, or one that is unknown, revoked, or of a disabled user."""


class NotFound(CaseflowError):
    """An API object (a user, an attachment, a path) that does not exist or is out of view."""

    code = "NOT_FOUND"

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}不存在或无权查看")


STATUS: dict[type[CaseflowError], int] = {
    NotFound: 404,
    CaseNotFound: 404,
    DocumentNotFound: 404,
    TokenNotFound: 404,
    NotPermitted: 403,
    VersionConflict: 409,
    DatabaseBusy: 409,
    TriggerNotAllowed: 409,
    UserExists: 409,
    IdempotencyInProgress: 409,
    DocumentIntegrityError: 500,
    UnknownUser: 422,
}
"""Everything else a user can provoke — a payload, a guard, an input, an unknown procedure
or user named in a request — is 422."""


def status_of(exc: CaseflowError) -> int:
    for kind, status in STATUS.items():
        if isinstance(exc, kind):
            return status
    return 422


def problem(
    status: int,
    code: str,
    detail: str,
    details: dict[str, Any] | None = None,
    reference: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    body = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        code=code,
        detail=detail,
        details=details or {},
        reference=reference,
    )
    return JSONResponse(
        body.model_dump(mode="json"), status_code=status, media_type=MEDIA_TYPE, headers=headers
    )


PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {
        "model": Problem,
        "description": why,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for status, why in (
        (401, "未提供接口令牌，或令牌无效、已吊销"),
        (403, "无权执行该操作"),
        (404, "不存在或无权查看"),
        (409, "案件已被他人修改，或当前状态不允许该操作"),
        (422, "请求内容有误，或不满足操作的条件"),
    )
}
"""The problem responses every operation documents."""

_PYDANTIC = {
    "missing": "缺少",
    "string_too_long": "过长",
    "string_too_short": "过短",
    "too_long": "项目过多",
    "json_invalid": "不是有效的 JSON",
    "greater_than_equal": "过小",
    "less_than_equal": "过大",
    "model_attributes_type": "应为对象",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为布尔值",
    "bool_parsing": "应为布尔值",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "string_pattern_mismatch": "格式不正确",
    "enum": "不是可选的值",
    "literal_error": "不是可选的值",
}


def _field_errors(exc: RequestValidationError) -> dict[str, str]:
    out: dict[str, str] = {}
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ())) or "body"
        kind = str(error.get("type", ""))
        out[where] = _PYDANTIC.get(kind, f"不符合要求（{kind}）")
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(Unauthorized)
    async def unauthorized(request: Request, exc: Unauthorized) -> Response:
        message = "未提供有效的接口令牌：请在请求头中携带 Authorization: Bearer <令牌>"
        return problem(401, "UNAUTHORIZED", message, headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(CaseflowError)
    async def engine_error(request: Request, exc: CaseflowError) -> Response:
        user = getattr(request.state, "api_user", None)
        if user is not None and isinstance(exc, NotPermitted | CaseNotFound):
            kind = (
                AuditKind.PERMISSION_DENIED
                if isinstance(exc, NotPermitted)
                else AuditKind.NOT_VISIBLE
            )
            request.app.state.services.auth.record_event(
                kind, user.name, request.url.path, exc.message, api_client(request)
            )
        return problem(status_of(exc), exc.code, exc.message, _plain(exc.details))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = _field_errors(exc)
        listed = "；".join(f"「{k}」{v}" for k, v in fields.items())
        return problem(422, "PAYLOAD_INVALID", f"请求内容有误：{listed}", {"fields": fields})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return problem(404, "NOT_FOUND", "接口不存在")
        if exc.status_code == 405:
            allow = {"Allow": ", ".join(_allowed(request))}
            return problem(405, "METHOD_NOT_ALLOWED", "该接口不支持这种请求方式", headers=allow)
        if exc.status_code == 400:  # a body that is not even JSON or a form
            return problem(422, "PAYLOAD_INVALID", "请求内容无法解析（应为 UTF-8 编码的 JSON）")
        return problem(exc.status_code, "HTTP_ERROR", "请求无法处理")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        reference = uuid.uuid4().hex[:12]
        log.exception("unexpected API error %s on %s %s", reference, request.method, request.url)
        message = "系统内部错误，已记录。请将参考编号告知系统管理员"
        return problem(500, "INTERNAL_ERROR", message, reference=reference)


class Contained:
    """Keeps an unexpected error inside the API: its handler has already answered with a
    500 problem (and logged it); Starlette re-raises it anyway, and the web app around the
    API would handle it a second time as a page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception:  # answered and logged by `unexpected`
            log.debug("contained an API error already answered", exc_info=True)


def _allowed(request: Request) -> list[str]:
    """Every method of the operations at the request's path (FastAPI keeps one route per
    method, and Starlette's 405 names only the first)."""
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def api_client(request: Request) -> Client:
    ip = request.client.host if request.client else ""
    return Client(ip=ip, user_agent=request.headers.get("user-agent", "")[:300], channel="api")


def _plain(details: dict[str, Any]) -> dict[str, Any]:
    """Details as JSON can carry them (dates and the like as text)."""
    out: dict[str, Any] = {}
    for key, value in details.items():
        if value is None or isinstance(value, str | int | float | bool | list | dict):
            out[key] = value
        else:
            out[key] = str(value)
    return out
