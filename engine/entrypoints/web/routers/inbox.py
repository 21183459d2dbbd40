"""我的待办."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from engine.domain.roles import Role
from engine.entrypoints.web.deps import Services, Session, page, redirect

router = APIRouter()


@router.get("/")
def inbox(request: Request, services: Services, session: Session) -> Response:
    if session.user.role is Role.ADMIN:
        return redirect("/admin")
    found = services.inbox.for_user(session.user)
    return page(request, "inbox.html", {"inbox": found})


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
