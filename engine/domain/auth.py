"""Signing in, as pure rules: what a stored credential and a session are, when a session
has expired, when repeated failures lock an account, what a password must be."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from engine.domain.errors import CaseflowError, InvalidInput

MIN_PASSWORD_LENGTH = 8


class AuditKind(StrEnum):
    """What the audit log records."""

    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    LOCKED_OUT = "locked_out"
    SIGNED_OUT = "signed_out"
    SESSION_EXPIRED = "session_expired"
    PERMISSION_DENIED = "permission_denied"
    NOT_VISIBLE = "not_visible"
    CSRF_REFUSED = "csrf_refused"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    USER_ADDED = "user_added"
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    ROLE_CHANGED = "role_changed"
    UNIT_CHANGED = "unit_changed"
    PROFILE_CHANGED = "profile_changed"
    DEPARTMENT_RENAMED = "department_renamed"
    CALENDAR_IMPORTED = "calendar_imported"
    VERIFY_RUN = "verify_run"
    TOKEN_CREATED = "token_created"
    TOKEN_REVOKED = "token_revoked"

    @property
    def label(self) -> str:
        return _AUDIT_LABELS[self]


_AUDIT_LABELS = {
    AuditKind.SIGNED_IN: "登录",
    AuditKind.SIGN_IN_FAILED: "登录失败",
    AuditKind.LOCKED_OUT: "账户锁定",
    AuditKind.SIGNED_OUT: "退出登录",
    AuditKind.SESSION_EXPIRED: "会话过期",
    AuditKind.PERMISSION_DENIED: "越权操作被拒绝",
    AuditKind.NOT_VISIBLE: "访问无权查看的案件",
    AuditKind.CSRF_REFUSED: "来源不明的请求被拒绝",
    AuditKind.PASSWORD_CHANGED: "修改密码",
    AuditKind.PASSWORD_RESET: "重置密码",
    AuditKind.USER_ADDED: "添加用户",
    AuditKind.USER_DISABLED: "停用用户",
    AuditKind.USER_ENABLED: "启用用户",
    AuditKind.ROLE_CHANGED: "变更角色",
    AuditKind.UNIT_CHANGED: "变更单位",
    AuditKind.PROFILE_CHANGED: "修改用户信息",
    AuditKind.DEPARTMENT_RENAMED: "变更协作部门名称",
    AuditKind.CALENDAR_IMPORTED: "导入放假安排",
    AuditKind.VERIFY_RUN: "完整性校验",
    AuditKind.TOKEN_CREATED: "创建接口令牌",
    AuditKind.TOKEN_REVOKED: "吊销接口令牌",
}


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    kind: AuditKind
    actor: str
    subject: str = ""
    detail: str = ""
    ip: str = ""
    channel: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Credentials:
    """What is stored to check a user's password and to lock the account."""

    user: str
    password_hash: str
    must_change: bool
    failed_logins: int
    locked_until: datetime | None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session lasts: idle expiry (from the last request) and absolute expiry
    (from sign-in); how many failures lock an account, and for how long."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)
    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class SessionRecord:
    token_hash: str
    user: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None
    ip: str = ""
    user_agent: str = ""

    def expired(self, now: datetime, policy: SessionPolicy) -> bool:
        return (
            self.ended_at is not None
            or now >= self.expires_at
            or now >= self.last_seen_at + policy.idle
        )


class SignInFailed(CaseflowError):
    """Wrong name or password (never says which, so names cannot be probed)."""

    code = "SIGN_IN_FAILED"

    def __init__(self) -> None:
        super().__init__("用户名或密码错误")


class AccountLocked(CaseflowError):
    code = "ACCOUNT_LOCKED"

    def __init__(self, until_local: str) -> None:
        super().__init__(
            f"连续登录失败次数过多，账户已锁定，请于 {until_local} 后再试，或联系管理员",
            until=until_local,
        )


class PasswordChangeRequired(CaseflowError):
    code = "PASSWORD_CHANGE_REQUIRED"

    def __init__(self) -> None:
        super().__init__("请先修改初始密码")


def check_new_password(user: str, password: str) -> str:
    """A password a user may choose: at least 8 characters, letters and digits, not the
    user name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("新密码", f"至少 {MIN_PASSWORD_LENGTH} 位")
    if len(password) > 200:
        raise InvalidInput("新密码", "最多 200 位")
    if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
        raise InvalidInput("新密码", "须同时包含字母和数字")
    if password.lower() == user.lower():
        raise InvalidInput("新密码", "不能与用户名相同")
    return password
