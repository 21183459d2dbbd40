"""The bureau's users: added by the admin (the very first user needs nobody), listed, and
looked up by the entry points."""

from __future__ import annotations

from engine.domain.errors import UnknownUser, UserExists
from engine.domain.permissions import require_role
from engine.domain.roles import Role
from engine.domain.users import User
from engine.service.context import ServiceContext, actor_of


class UserService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def add_user(
        self, name: str, role: str, unit: str, display_name: str = "", *, actor: str | None
    ) -> User:
        user = User.create(name, role, unit, display_name)
        with self.ctx.uow() as uow:
            if uow.users.list():
                require_role(actor_of(uow, actor), (Role.ADMIN,), "添加用户")
            if uow.users.get(user.name) is not None:
                raise UserExists(user.name)
            uow.users.add(user)
            uow.commit()
        return user

    def users(self) -> list[User]:
        with self.ctx.uow(readonly=True) as uow:
            return uow.users.list()

    def get(self, name: str) -> User:
        with self.ctx.uow(readonly=True) as uow:
            user = uow.users.get(name)
        if user is None:
            raise UnknownUser(name)
        return user
