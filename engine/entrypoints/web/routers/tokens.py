"""系统管理 → 接口令牌 (the admin's): API tokens for integrations, created for a user (shown
once), listed without the secret, revoked."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from engine.domain.errors import CaseflowError
from engine.domain.permissions import require_role
from engine.domain.procedure import Actor
from engine.domain.roles import Role
from engine.entrypoints.web.deps import Caller, Form, Services, Session, page, redirect
from engine.service.auth import CurrentSession

router = APIRouter(prefix="/admin/tokens")


def _admin(session: CurrentSession) -> None:
    require_role(Actor(session.user.name, session.user.role), (Role.ADMIN,), "管理接口令牌")


def _page(
    request: Request,
    services: Services,
    session: CurrentSession,
    *,
    token: str = "",
    error: str = "",
    status: int = 200,
) -> Response:
    context = {
        "tokens": services.tokens.list(actor=session.user.name),
        "users": [u for u in services.users.users() if u.active],
        "token": token,
        "error": error,
    }
    return page(request, "admin/tokens.html", context, status=status)


@router.get("")
def tokens(request: Request, services: Services, session: Session) -> Response:
    _admin(session)
    return _page(request, services, session)


@router.post("")
def create(
    request: Request, services: Services, session: Session, form: Form, caller: Caller
) -> Response:
    _admin(session)
    try:
        issued = services.tokens.create(
            str(form.get("user", "")),
            str(form.get("label", "")),
            actor=session.user.name,
            client=caller,
        )
    except CaseflowError as exc:
        return _page(request, services, session, error=f"{exc.message}（{exc.code}）", status=422)
    return _page(request, services, session, token=issued.token)


@router.post("/{token_id}/revoke")
def revoke(
    services: Services, session: Session, form: Form, caller: Caller, token_id: int
) -> Response:
    _admin(session)
    services.tokens.revoke(token_id, actor=session.user.name, client=caller)
    return redirect("/admin/tokens", f"已吊销接口令牌 {token_id}")
