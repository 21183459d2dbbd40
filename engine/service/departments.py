"""The partner departments as they are now: the admin renames a department the county
profile still names as the seeds recorded it (县工商局 → 县市场监督管理局, after the 2018
reorganisation), or drops the rename. Referral letters and transfer letters issued after the
change use the current name; the boundary tables keep the seeds' names as recorded text.
Every change is the admin's alone and is recorded in the audit log."""

from __future__ import annotations

from engine.domain.auth import AuditKind
from engine.domain.errors import InvalidInput
from engine.domain.permissions import require_role
from engine.domain.roles import Role
from engine.service.auth import Client, record
from engine.service.context import ServiceContext, actor_of

CLI = Client(channel="cli")
MAX_NAME = 200


class DepartmentAdmin:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def names(self) -> dict[str, str]:
        """Every department the county knows: key → the name letters use now."""
        with self.ctx.uow(readonly=True) as uow:
            return dict(self.ctx.settings(uow).department_names())

    def renamed(self) -> dict[str, str]:
        """The departments the admin has renamed: key → name."""
        with self.ctx.uow(readonly=True) as uow:
            return uow.department_names.all(self.ctx.county.county_id)

    def rename(self, key: str, name: str, *, actor: str, client: Client = CLI) -> str:
        key, name = key.strip(), name.strip()
        known = self.ctx.county.settings.department_names()
        if key not in known:
            raise InvalidInput("部门", f"未登记的部门键：{key}（可用：{'、'.join(sorted(known))}）")
        if not name or len(name) > MAX_NAME:
            raise InvalidInput("部门名称", f"不能为空，最长{MAX_NAME}字")
        with self.ctx.uow() as uow:
            admin = actor_of(uow, actor)
            require_role(admin, (Role.ADMIN,), "变更协作部门名称")
            before = self.ctx.settings(uow).department_names()[key]
            now = self.ctx.clock.now()
            uow.department_names.set(self.ctx.county.county_id, key, name, now, admin.name)
            record(
                uow,
                AuditKind.DEPARTMENT_RENAMED,
                now,
                admin.name,
                client,
                key,
                f"{before} → {name}",
            )
            uow.commit()
        return name

    def reset(self, key: str, *, actor: str, client: Client = CLI) -> str:
        """Drop the admin's name: the county profile's applies again. Returns it."""
        with self.ctx.uow() as uow:
            admin = actor_of(uow, actor)
            require_role(admin, (Role.ADMIN,), "变更协作部门名称")
            if not uow.department_names.clear(self.ctx.county.county_id, key):
                raise InvalidInput("部门", f"{key} 没有由管理员改过名称")
            now = self.ctx.clock.now()
            profile_name = self.ctx.county.settings.department_names()[key]
            record(
                uow,
                AuditKind.DEPARTMENT_RENAMED,
                now,
                admin.name,
                client,
                key,
                f"恢复县情配置中的名称：{profile_name}",
            )
            uow.commit()
        return profile_name
