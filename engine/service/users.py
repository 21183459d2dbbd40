"""The bureau's users: added by the admin (the very first user needs nobody), given a
password or a one-time password to change at the first sign-in, disabled, enabled, moved to
another role or unit — every change recorded in the audit log and
the hash-chained user-administration log (engine.service.user_log)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace

from engine.domain.auth import AuditKind, check_new_password
from engine.domain.errors import InvalidInput, UnknownUser, UserExists
from engine.domain.permissions import require_role
from engine.domain.procedure import Actor
from engine.domain.roles import Role
from engine.domain.text import checked
from engine.domain.users import User, parse_cert_no, parse_role, parse_title
from engine.service.auth import Client, record
from engine.service.context import ServiceContext, actor_of
from engine.service.ports import AbstractUnitOfWork, PasswordHasher
from engine.service.user_log import log_user

CLI = Client(channel="cli")
_READABLE = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"


def one_time_password() -> str:
    """12 characters without look-alikes (0/O, 1/l/I), letters and digits."""
    while True:
        word = "".join(secrets.choice(_READABLE) for _ in range(12))
        if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
            return word


class UserService:
    def __init__(self, ctx: ServiceContext, hasher: PasswordHasher) -> None:
        self.ctx = ctx
        self.hasher = hasher

    def add_user(
        self,
        name: str,
        role: str,
        unit: str,
        display_name: str = "",
        *,
        actor: str | None,
        password: str | None = None,
        cert_no: str = "",
        title: str = "",
        client: Client = CLI,
    ) -> User:
        """Add a user (the admin's; the first user needs nobody). With ``password`` the user
        may sign in to the web app with it; without, they cannot until one is set."""
        user = User.create(name, role, unit, display_name, cert_no, title)
        if password is not None:
            check_new_password(user.name, password)
        now = self.ctx.clock.now()
        with self.ctx.uow() as uow:
            by = user.name
            if uow.users.list():
                admin = actor_of(uow, actor)
                require_role(admin, (Role.ADMIN,), "添加用户")
                by = admin.name
            if uow.users.get(user.name) is not None:
                raise UserExists(user.name)
            uow.users.add(user)
            if password is not None:
                uow.users.set_password(user.name, self.hasher.hash(password), False, now)
            detail = f"{user.role.label}，{user.unit}"
            record(uow, AuditKind.USER_ADDED, now, by, client, user.name, detail)
            log_user(uow, AuditKind.USER_ADDED, by, user.name, now)
            uow.commit()
        self.ctx.users.invalidate(user.name)
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

    def reset_password(
        self,
        name: str,
        *,
        actor: str | None,
        password: str | None = None,
        must_change: bool = True,
        client: Client = CLI,
    ) -> str:
        """Give a user a password — by default one to change at the next sign-in (a
        generated one-time password unless ``password`` names one); their sessions end.
        Returns it."""
        chosen = password if password is not None else one_time_password()
        check_new_password(name, chosen)

        def change(uow: AbstractUnitOfWork, admin: Actor, user: User) -> str:
            now = self.ctx.clock.now()
            uow.users.set_password(user.name, self.hasher.hash(chosen), must_change, now)
            uow.sessions.end_all(user.name, now)
            return "设置一次性密码，下次登录须修改" if must_change else "设置密码"

        self._administer(name, actor, client, AuditKind.PASSWORD_RESET, "重置密码", change)
        return chosen

    def set_active(self, name: str, active: bool, *, actor: str, client: Client = CLI) -> User:
        def change(uow: AbstractUnitOfWork, admin: Actor, user: User) -> str:
            if not active and user.name == admin.name:
                raise InvalidInput("停用用户", "不能停用自己的账户")
            if not active and user.role is Role.ADMIN and _admins(uow) == [user.name]:
                raise InvalidInput("停用用户", "不能停用最后一名系统管理员")
            uow.users.update(replace(user, active=active))
            if not active:
                uow.sessions.end_all(user.name, self.ctx.clock.now())
            return "启用" if active else "停用"

        kind = AuditKind.USER_ENABLED if active else AuditKind.USER_DISABLED
        self._administer(name, actor, client, kind, "启用或停用用户", change)
        return self.get(name)

    def set_role(self, name: str, role: str, *, actor: str, client: Client = CLI) -> User:
        new = parse_role(role)

        def change(uow: AbstractUnitOfWork, admin: Actor, user: User) -> str:
            if user.name == admin.name:
                raise InvalidInput("角色", "不能变更自己的角色")
            if user.role is Role.ADMIN and new is not Role.ADMIN and _admins(uow) == [user.name]:
                raise InvalidInput("角色", "不能撤销最后一名系统管理员")
            uow.users.update(replace(user, role=new))
            return f"{user.role.label} → {new.label}"

        self._administer(name, actor, client, AuditKind.ROLE_CHANGED, "变更角色", change)
        return self.get(name)

    def set_unit(self, name: str, unit: str, *, actor: str, client: Client = CLI) -> User:
        if not unit.strip():
            raise InvalidInput("所在单位", "不能为空")
        checked("所在单位", unit.strip(), 200)

        def change(uow: AbstractUnitOfWork, admin: Actor, user: User) -> str:
            uow.users.update(replace(user, unit=unit.strip()))
            return f"{user.unit} → {unit.strip()}"

        self._administer(name, actor, client, AuditKind.UNIT_CHANGED, "变更单位", change)
        return self.get(name)

    def edit(
        self,
        name: str,
        *,
        actor: str,
        display_name: str | None = None,
        cert_no: str | None = None,
        title: str | None = None,
        unit: str | None = None,
        client: Client = CLI,
    ) -> User:
        """Change what documents print of a user: full name, 执法证号, title, unit (None
        leaves a field as it is)."""
        changes: dict[str, str] = {}
        if display_name is not None:
            if not display_name.strip():
                raise InvalidInput("姓名", "不能为空")
            changes["display_name"] = display_name.strip()
        if cert_no is not None:
            changes["cert_no"] = parse_cert_no(cert_no)
        if title is not None:
            changes["title"] = parse_title(title)
        if unit is not None:
            if not unit.strip():
                raise InvalidInput("所在单位", "不能为空")
            changes["unit"] = unit.strip()
        if not changes:
            raise InvalidInput("修改用户", "没有要修改的内容（姓名、执法证号、职务或单位）")
        labels = {"display_name": "姓名", "cert_no": "执法证号", "title": "职务", "unit": "单位"}

        def change(uow: AbstractUnitOfWork, admin: Actor, user: User) -> str:
            uow.users.update(
                replace(
                    user,
                    display_name=changes.get("display_name", user.display_name),
                    cert_no=changes.get("cert_no", user.cert_no),
                    title=changes.get("title", user.title),
                    unit=changes.get("unit", user.unit),
                )
            )
            return "；".join(
                f"{labels[k]}：{getattr(user, k) or '（无）'} → {v or '（无）'}"
                for k, v in changes.items()
            )

        self._administer(name, actor, client, AuditKind.PROFILE_CHANGED, "修改用户", change)
        return self.get(name)

    def _administer(
        self,
        name: str,
        actor: str | None,
        client: Client,
        kind: AuditKind,
        action: str,
        change: Callable[[AbstractUnitOfWork, Actor, User], str],
    ) -> None:
        """One administration command: the admin's only, on an existing user, recorded."""
        with self.ctx.uow() as uow:
            admin = actor_of(uow, actor)
            require_role(admin, (Role.ADMIN,), action)
            user = uow.users.get(name)
            if user is None:
                raise UnknownUser(name)
            detail = change(uow, admin, user)
            now = self.ctx.clock.now()
            record(uow, kind, now, admin.name, client, user.name, detail)
            log_user(uow, kind, admin.name, user.name, now)
            uow.commit()
        self.ctx.users.invalidate(name)


def _admins(uow: AbstractUnitOfWork) -> list[str]:
    return [u.name for u in uow.users.list() if u.active and u.role is Role.ADMIN]
