"""Users of the engine and the role the engine checks for every command."""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.domain.errors import InvalidInput
from engine.domain.roles import SYSTEM_USER, Role
from engine.domain.text import checked

_NAME = re.compile(r"^[\w.\-]{1,64}$")


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    unit: str
    display_name: str = ""
    active: bool = True

    @classmethod
    def create(cls, name: str, role: str, unit: str, display_name: str = "") -> User:
        name = name.strip()
        if not _NAME.match(name):
            raise InvalidInput(
                "用户名", f"{name!r} 无效：只能用字母、数字、汉字、点、横线，最长64字"
            )
        if name.lower() == SYSTEM_USER:
            raise InvalidInput("用户名", f"{name} 为系统保留身份，不能作为用户名")
        parsed = parse_role(role)
        if not unit.strip():
            raise InvalidInput("所在单位", "不能为空")
        checked("所在单位", unit.strip(), 200)
        checked("姓名", display_name.strip(), 200)
        return cls(name, parsed, unit.strip(), display_name.strip() or name)

    @property
    def label(self) -> str:
        return f"{self.display_name}（{self.role.label}）"


def parse_role(role: str) -> Role:
    """A role a user may have (never the system's own)."""
    try:
        parsed = Role(role)
    except ValueError:
        roles = "、".join(r.value for r in Role if r is not Role.SYSTEM)
        raise InvalidInput("角色", f"{role!r} 无效，应为：{roles}") from None
    if parsed is Role.SYSTEM:
        raise InvalidInput("角色", "system 为系统保留角色")
    return parsed
