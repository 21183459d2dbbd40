"""Roles of the bureau's users."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    INSPECTOR = "inspector"
    SUPERVISOR = "supervisor"
    LEGAL = "legal"
    HEAD = "head"
    ADMIN = "admin"
    SYSTEM = "system"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.INSPECTOR: "监察员",
    Role.SUPERVISOR: "科（队）长",
    Role.LEGAL: "法制审核员",
    Role.HEAD: "局长",
    Role.ADMIN: "系统管理员",
    Role.SYSTEM: "系统",
}

SYSTEM_USER = "system"
