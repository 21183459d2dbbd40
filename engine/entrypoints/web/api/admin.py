"""Who the token acts as, and the users (the admin's: the engine's role check decides)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from engine.domain.errors import UnknownUser
from engine.domain.permissions import require_role
from engine.domain.roles import Role
from engine.entrypoints.web.api import schemas, views
from engine.entrypoints.web.api.deps import ApiUser, Services, actor
from engine.entrypoints.web.api.problems import NotFound, api_client

router = APIRouter(tags=["用户"])

Name = Annotated[str, Path(max_length=64, description="用户名")]


@router.get("/me", response_model=schemas.UserOut, summary="当前令牌的用户")
def me(user: ApiUser) -> schemas.UserOut:
    return views.user(user)


@router.get("/users", response_model=list[schemas.UserOut], summary="用户列表（系统管理员）")
def users(services: Services, user: ApiUser) -> list[schemas.UserOut]:
    require_role(actor(user), (Role.ADMIN,), "查看用户")
    return [views.user(u) for u in services.users.users()]


@router.get("/users/{name}", response_model=schemas.UserOut, summary="用户信息（系统管理员）")
def get_user(services: Services, user: ApiUser, name: Name) -> schemas.UserOut:
    require_role(actor(user), (Role.ADMIN,), "查看用户")
    try:
        return views.user(services.users.get(name))
    except UnknownUser as exc:
        raise NotFound(f"用户 {name} ") from exc


@router.post(
    "/users", status_code=201, response_model=schemas.UserOut, summary="添加用户（系统管理员）"
)
def add_user(
    request: Request, services: Services, user: ApiUser, body: schemas.NewUser
) -> schemas.UserOut:
    added = services.users.add_user(
        body.name,
        body.role,
        body.unit,
        body.display_name,
        actor=user.name,
        password=body.password,
        client=api_client(request),
    )
    return views.user(added)


@router.patch("/users/{name}", response_model=schemas.UserOut, summary="变更用户（系统管理员）")
def change_user(
    request: Request, services: Services, user: ApiUser, name: Name, body: schemas.UserChange
) -> schemas.UserOut:
    """Role, unit and whether active, each through the users service (its own checks:
    the admin's only, never oneself, never the last admin), recorded in the audit log."""
    require_role(actor(user), (Role.ADMIN,), "变更用户")
    try:
        services.users.get(name)
    except UnknownUser as exc:
        raise NotFound(f"用户 {name} ") from exc
    caller = api_client(request)
    if body.role is not None:
        services.users.set_role(name, body.role, actor=user.name, client=caller)
    if body.unit is not None:
        services.users.set_unit(name, body.unit, actor=user.name, client=caller)
    if body.active is not None:
        services.users.set_active(name, body.active, actor=user.name, client=caller)
    return views.user(services.users.get(name))
