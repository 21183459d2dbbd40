"""What every route needs: the services, who is signed in (a dependency that sends the
browser to the sign-in page when nobody is), the CSRF check of every state-changing form,
and rendering a page with what its layout shows."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, unquote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from engine.bootstrap import App
from engine.domain.auth import AuditKind
from engine.domain.roles import Role
from engine.entrypoints.web.config import FLASH_COOKIE, SESSION_COOKIE, WebConfig
from engine.service.auth import Client, CurrentSession


class SignInRequired(Exception):
    """No live session: the browser goes to the sign-in page (and comes back after)."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class PasswordChangeNeeded(Exception):
    """A one-time password: nothing but changing it until it is changed."""


class CsrfRefused(Exception):
    """A state-changing request without the session's form token."""


class NotFoundPage(Exception):
    """A page, case, document or attachment that does not exist (or is out of view)."""

    def __init__(self, what: str = "页面") -> None:
        self.what = what


def services(request: Request) -> App:
    app: App = request.app.state.services
    return app


def config(request: Request) -> WebConfig:
    cfg: WebConfig = request.app.state.config
    return cfg


def client(request: Request) -> Client:
    ip = request.client.host if request.client else ""
    return Client(ip=ip, user_agent=request.headers.get("user-agent", "")[:300], channel="web")


def current_session(request: Request) -> CurrentSession | None:
    """The request's live session, looked up once per request."""
    if not hasattr(request.state, "session"):
        token = request.cookies.get(SESSION_COOKIE)
        request.state.session = services(request).auth.current(token, client(request))
    session: CurrentSession | None = request.state.session
    return session


def signed_in(request: Request) -> CurrentSession:
    session = current_session(request)
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    if session.must_change_password and request.url.path not in ("/password", "/logout"):
        raise PasswordChangeNeeded()
    return session


Session = Annotated[CurrentSession, Depends(signed_in)]
Services = Annotated[App, Depends(services)]
Caller = Annotated[Client, Depends(client)]


async def checked_form(request: Request, session: Session) -> dict[str, Any]:
    """The form of a state-changing request, once its CSRF token (field or header) matches
    the session's; a request without it is refused and logged."""
    form = await request.form()
    sent = request.headers.get("x-csrf-token") or str(form.get("csrf_token") or "")
    if not secrets.compare_digest(sent.encode(), session.csrf_token.encode()):
        services(request).auth.record_event(
            AuditKind.CSRF_REFUSED, session.user.name, request.url.path, "", client(request)
        )
        raise CsrfRefused()
    fields: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key == "csrf_token":
            continue
        fields.setdefault(key, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in fields.items()}


Form = Annotated[dict[str, Any], Depends(checked_form)]


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str
    roles: frozenset[Role]


NAV = (
    NavItem("/", "我的待办", frozenset(Role) - {Role.ADMIN}),
    NavItem("/cases", "案件查询", frozenset(Role) - {Role.ADMIN}),
    NavItem("/cases/new", "登记案件", frozenset({Role.INSPECTOR, Role.SUPERVISOR})),
    NavItem("/cases/import", "批量登记", frozenset({Role.INSPECTOR, Role.SUPERVISOR})),
    NavItem("/board", "期限看板", frozenset({Role.SUPERVISOR, Role.HEAD, Role.INSPECTOR})),
    NavItem("/board/calendar", "期限日历", frozenset({Role.SUPERVISOR, Role.HEAD, Role.INSPECTOR})),
    NavItem("/stats", "统计", frozenset({Role.SUPERVISOR, Role.HEAD})),
    NavItem("/admin", "系统管理", frozenset({Role.ADMIN})),
)


def templates(request: Request) -> Jinja2Templates:
    found: Jinja2Templates = request.app.state.templates
    return found


def page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HTMLResponse:
    """A page (or, for an htmx request of a fragment template, just the fragment) with what
    the layout needs: who is signed in, the form token, the menu, a one-time message."""
    session = current_session(request)
    role = session.user.role if session else None
    values: dict[str, Any] = {
        "request": request,
        "session": session,
        "user": session.user if session else None,
        "csrf_token": session.csrf_token if session else "",
        "nav": [n for n in NAV if role in n.roles],
        "path": request.url.path,
        "flash": unquote(request.cookies.get(FLASH_COOKIE, "")),
        "htmx": request.headers.get("hx-request") == "true",
        **(context or {}),
    }
    response = templates(request).TemplateResponse(request, template, values, status_code=status)
    if values["flash"]:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def redirect(url: str, message: str = "") -> Response:
    """After a successful POST: to the page that shows the result, with a message once."""
    response = RedirectResponse(url, status_code=303)
    if message:
        response.set_cookie(
            FLASH_COOKIE, quote(message), max_age=60, httponly=True, samesite="lax", path="/"
        )
    return response
