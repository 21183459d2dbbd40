"""Every failure becomes a Chinese page with its stable code: the engine's typed errors,
a missing sign-in, a refused form, an unknown page, invalid query parameters — and, for
anything unexpected, a page with a reference number that the log also carries."""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from engine.domain.auth import AuditKind
from engine.domain.errors import (
    CaseflowError,
    CaseNotFound,
    DatabaseBusy,
    GuardFailed,
    InvalidInput,
    NotPermitted,
    PayloadInvalid,
    VersionConflict,
)
from engine.entrypoints.web.api import PREFIX as API_PREFIX
from engine.entrypoints.web.api.problems import problem
from engine.entrypoints.web.deps import (
    CsrfRefused,
    NotFoundPage,
    PasswordChangeNeeded,
    SignInRequired,
    client,
    current_session,
    page,
    services,
)

log = logging.getLogger("caseflow.web")

STATUS = {
    CaseNotFound: 404,
    NotPermitted: 403,
    VersionConflict: 409,
    DatabaseBusy: 409,
    PayloadInvalid: 422,
    GuardFailed: 422,
    InvalidInput: 422,
}


def status_of(exc: CaseflowError) -> int:
    for kind, status in STATUS.items():
        if isinstance(exc, kind):
            return status
    return 400


def error_page(
    request: Request, status: int, code: str, message: str, reference: str = ""
) -> Response:
    return page(
        request,
        "error.html",
        {"status": status, "code": code, "message": message, "reference": reference},
        status=status,
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def sign_in(request: Request, exc: SignInRequired) -> Response:
        if request.headers.get("hx-request") == "true":
            return Response(status_code=204, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={exc.next_url}", status_code=303)

    @app.exception_handler(PasswordChangeNeeded)
    async def password(request: Request, exc: PasswordChangeNeeded) -> Response:
        return RedirectResponse("/password", status_code=303)

    @app.exception_handler(CsrfRefused)
    async def csrf(request: Request, exc: CsrfRefused) -> Response:
        message = "请求缺少有效的表单令牌（页面可能已过期或来自其他网站），已拒绝；请刷新页面后重试"
        return error_page(request, 403, "CSRF_FAILED", message)

    @app.exception_handler(NotFoundPage)
    async def missing(request: Request, exc: NotFoundPage) -> Response:
        return error_page(request, 404, "NOT_FOUND", f"{exc.what}不存在或无权查看")

    @app.exception_handler(CaseflowError)
    async def engine_error(request: Request, exc: CaseflowError) -> Response:
        session = current_session(request)
        if session is not None and isinstance(exc, NotPermitted | CaseNotFound):
            kind = (
                AuditKind.PERMISSION_DENIED
                if isinstance(exc, NotPermitted)
                else AuditKind.NOT_VISIBLE
            )
            services(request).auth.record_event(
                kind, session.user.name, request.url.path, exc.message, client(request)
            )
        return error_page(request, status_of(exc), exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith(API_PREFIX + "/"):  # a path the API's mount missed
            return problem(exc.status_code, "NOT_FOUND", "接口不存在")
        if exc.status_code == 404:
            return error_page(request, 404, "NOT_FOUND", "页面不存在")
        if exc.status_code == 405:
            return error_page(request, 405, "METHOD_NOT_ALLOWED", "不支持这种请求方式")
        return error_page(request, exc.status_code, "HTTP_ERROR", "请求无法处理")

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        fields = "、".join(str(e["loc"][-1]) for e in exc.errors())
        return error_page(request, 422, "INVALID_INPUT", f"请求参数有误：{fields}")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        reference = uuid.uuid4().hex[:12]
        log.exception("unexpected error %s on %s %s", reference, request.method, request.url)
        message = "系统内部错误，已记录。请将参考编号告知系统管理员"
        return error_page(request, 500, "INTERNAL_ERROR", message, reference)
