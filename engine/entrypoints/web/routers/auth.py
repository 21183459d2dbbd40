"""登录、退出、修改密码."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from engine.domain.errors import CaseflowError
from engine.entrypoints.web.config import LOGIN_COOKIE, SESSION_COOKIE
from engine.entrypoints.web.deps import (
    Caller,
    Services,
    Session,
    config,
    current_session,
    page,
    redirect,
)
from engine.entrypoints.web.deps import (
    Form as CheckedForm,
)
from engine.service.auth import SignedIn

router = APIRouter()


def _safe_next(target: str) -> str:
    """Only a path of this site (never another site's address)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _start_session(request: Request, signed: SignedIn, target: str, message: str = "") -> Response:
    response = redirect(_safe_next(target), message)
    cfg = config(request)
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        max_age=int(cfg.sessions.absolute.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=cfg.cookie_secure,
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


def _login_page(request: Request, next_url: str, error: str = "", name: str = "") -> Response:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = page(
        request,
        "login.html",
        {"next": _safe_next(next_url), "error": error, "name": name, "login_token": token},
        status=401 if error else 200,
    )
    response.set_cookie(
        LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=config(request).cookie_secure
    )
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if current_session(request) is not None:
        return redirect(_safe_next(next))
    return _login_page(request, next)


@router.post("/login")
def login(
    request: Request,
    services: Services,
    caller: Caller,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=500)] = "",
    login_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie.encode(), login_token.encode()):
        return _login_page(request, next, "登录页面已过期，请重新输入（CSRF_FAILED）", username)
    try:
        signed = services.auth.sign_in(username, password, caller)
    except CaseflowError as exc:
        return _login_page(request, next, f"{exc.message}（{exc.code}）", username)
    return _start_session(request, signed, "/password" if signed.must_change_password else next)


@router.post("/logout")
def logout(
    request: Request, services: Services, caller: Caller, session: Session, form: CheckedForm
) -> Response:
    services.auth.sign_out(session, caller)
    response = redirect("/login", "已退出登录")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/password")
def password_form(request: Request, session: Session) -> Response:
    return page(request, "password.html", {"forced": session.must_change_password})


@router.post("/password")
def change_password(
    request: Request, services: Services, caller: Caller, session: Session, form: CheckedForm
) -> Response:
    old, new, again = (str(form.get(k, "")) for k in ("old", "new", "again"))
    error = ""
    if new != again:
        error = "两次输入的新密码不一致（INVALID_INPUT）"
    else:
        try:
            signed = services.auth.change_password(session, old, new, caller)
        except CaseflowError as exc:
            error = f"{exc.message}（{exc.code}）"
        else:
            return _start_session(request, signed, "/", "密码已修改")
    context = {"forced": session.must_change_password, "error": error}
    return page(request, "password.html", context, status=422)
