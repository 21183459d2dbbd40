"""Users of the engine and the role the engine checks for every command.

A user signs in with a login name (``name``) that is never printed on a document: notices
show the full name (``display_name``), the 执法证号 (``cert_no``, the law-enforcement
certificate 劳动保障监察条例 art. 16 and 行政处罚法 art. 55 require the officers to show)
and, for those who approve, the title (``title``, e.g. 局长, 分管副局长)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.domain.errors import InvalidInput
from engine.domain.roles import SYSTEM_USER, Role
from engine.domain.text import checked

_NAME = re.compile(r"^[\w.\-]{1,64}$")
_CERT = re.compile(r"^[0-9A-Za-z\-]{4,32}$")


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    unit: str
    display_name: str = ""
    active: bool = True
    cert_no: str = ""
    """执法证号 (law-enforcement certificate number); "" when the user has none."""
    title: str = ""
    """职务 printed under an approval (局长, 分管副局长 …); "" → the role's label."""

    @classmethod
    def create(
        cls,
        name: str,
        role: str,
        unit: str,
        display_name: str = "",
        cert_no: str = "",
        title: str = "",
    ) -> User:
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
        return cls(
            name,
            parsed,
            unit.strip(),
            display_name.strip() or name,
            cert_no=parse_cert_no(cert_no),
            title=parse_title(title),
        )

    @property
    def label(self) -> str:
        return f"{self.display_name}（{self.role.label}）"

    @property
    def job_title(self) -> str:
        """The title printed with the user's name on an approval."""
        return self.title or self.role.label

    @property
    def has_full_name(self) -> bool:
        """A full name set by the admin (not the login name it defaults to)."""
        return bool(self.display_name) and self.display_name != self.name


def parse_cert_no(value: str) -> str:
    value = value.strip()
    if value and not _CERT.match(value):
        raise InvalidInput("执法证号", f"{value!r} 无效：应为4至32位字母、数字或横线")
    return value


def parse_title(value: str) -> str:
    value = value.strip()
    if len(value) > 50:
        raise InvalidInput("职务", "最长50字")
    return value


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
