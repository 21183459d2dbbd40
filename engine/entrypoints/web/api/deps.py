"""What every API operation needs: the services and the user its bearer token acts as."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from engine.bootstrap import App
from engine.domain.procedure import Actor
from engine.domain.users import User
from engine.entrypoints.web.api.problems import Unauthorized

bearer = HTTPBearer(auto_error=False, description="接口令牌（由系统管理员创建）")


def services(request: Request) -> App:
    app: App = request.app.state.services
    return app


def token_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The active user whose live token the request carries (401 otherwise)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized()
    user = services(request).tokens.authenticate(credentials.credentials.strip())
    if user is None:
        raise Unauthorized()
    request.state.api_user = user
    return user


Services = Annotated[App, Depends(services)]
ApiUser = Annotated[User, Depends(token_user)]


def actor(user: User) -> Actor:
    return Actor(user.name, user.role)
