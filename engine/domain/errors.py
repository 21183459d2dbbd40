"""Typed errors of the engine, each with a stable code and a Chinese message.

Every error a user can provoke derives from `CaseflowError`; the CLI and any other entry
point show `message` (Chinese) and `code` (stable, ASCII) and can serialise `to_dict()`.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping, Sequence
from typing import Any


class CaseflowError(Exception):
    """Base of every error a user of the engine can see."""

    code: str = "CASEFLOW_ERROR"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class CaseNotFound(CaseflowError):
    code = "CASE_NOT_FOUND"

    def __init__(self, case_ref: str) -> None:
        super().__init__(f"案件不存在或无权查看：{case_ref}", case=case_ref)
        self.case_ref = case_ref


class TriggerNotAllowed(CaseflowError):
    code = "TRIGGER_NOT_ALLOWED"

    def __init__(
        self, case_ref: str, trigger: str, state: str, state_label: str, allowed: Sequence[str]
    ) -> None:
        allowed_txt = "、".join(allowed) if allowed else "（无，案件已办结）"
        super().__init__(
            f"案件 {case_ref} 当前处于「{state_label}」，不能执行操作 {trigger}；"
            f"当前允许的操作：{allowed_txt}",
            case=case_ref,
            trigger=trigger,
            state=state,
            allowed=list(allowed),
        )
        self.allowed = list(allowed)


class GuardFailed(CaseflowError):
    code = "GUARD_FAILED"

    def __init__(self, case_ref: str, trigger: str, failures: Sequence[tuple[str, str]]) -> None:
        reasons = "；".join(f"{label}：{why}" for label, why in failures)
        super().__init__(
            f"案件 {case_ref} 不满足操作 {trigger} 的条件——{reasons}",
            case=case_ref,
            trigger=trigger,
            failures=[{"guard": label, "reason": why} for label, why in failures],
        )
        self.failures = list(failures)


class WindowNotPassed(CaseflowError):
    """A trigger meaning "the window passed" fired before the window's end (or where no
    window runs): expiry is the clock's alone."""

    code = "WINDOW_NOT_PASSED"

    def __init__(self, case_ref: str, trigger: str, window: str, ends: str) -> None:
        super().__init__(
            f"案件 {case_ref}：{window}{ends}，不能办理「{trigger}」"
            "（期限届满由系统按期限自动办理）",
            case=case_ref,
            trigger=trigger,
            window=window,
        )


class PayloadInvalid(CaseflowError):
    code = "PAYLOAD_INVALID"

    def __init__(self, what: str, problems: Mapping[str, str]) -> None:
        listed = "；".join(f"字段「{field}」{why}" for field, why in problems.items())
        super().__init__(f"{what}的填报内容有误：{listed}", fields=dict(problems))
        self.problems = dict(problems)


class NotPermitted(CaseflowError):
    code = "NOT_PERMITTED"

    def __init__(self, user: str, role: str, action: str, needed: Sequence[str]) -> None:
        super().__init__(
            f"用户 {user}（{role}）无权执行「{action}」；需要的角色：{'、'.join(needed)}",
            user=user,
            role=role,
            action=action,
            needed=list(needed),
        )


class VersionConflict(CaseflowError):
    """The case moved on under a command. `expected` is the version the user said they saw
    (`--expect-version`, a form's hidden field): the message names it only then; a
    command given no version is retried on the fresh case and fails with this error only
    when the retries run out (engine.service.case_commands.retried)."""

    code = "VERSION_CONFLICT"

    def __init__(self, case_ref: str, expected: int | None = None) -> None:
        if expected is None:
            super().__init__(
                f"案件 {case_ref} 正被他人同时修改，多次重试仍未成功，请稍后重试",
                case=case_ref,
            )
        else:
            super().__init__(
                f"案件 {case_ref} 已被他人修改（您看到的是第 {expected} 版），请刷新后重试",
                case=case_ref,
                expected_version=expected,
            )
        self.expected = expected


class DatabaseBusy(CaseflowError):
    """The database refused a transaction because of concurrent ones — a deadlock victim,
    a serialization failure, a lock it would not wait for (PostgreSQL SQLSTATE 40001,
    40P01, 55P03) or SQLite still busy after its timeout. The database is reachable:
    retrying is the remedy, never DATABASE_UNAVAILABLE (db/uow.py maps these)."""

    code = "DATABASE_BUSY"

    def __init__(self, reason: str = "") -> None:
        super().__init__("数据库正忙：其他操作正在同时修改相同的记录，请稍后重试", reason=reason)


class UnknownUser(CaseflowError):
    code = "UNKNOWN_USER"

    def __init__(self, name: str) -> None:
        super().__init__(f"用户不存在：{name}（请先用 caseflow user add 添加）", user=name)


class UnknownCounty(CaseflowError):
    code = "UNKNOWN_COUNTY"

    def __init__(self, county: str, available: Sequence[str]) -> None:
        super().__init__(
            f"没有县「{county}」的配置；可用：{'、'.join(available)}",
            county=county,
            available=list(available),
        )


class DatabaseUrlInvalid(CaseflowError):
    code = "DATABASE_URL_INVALID"

    def __init__(self, url: str, why: str) -> None:
        super().__init__(
            f"数据库地址无效：{url}（{why}）；应如 sqlite:///caseflow.db 或 "
            "postgresql://用户@主机/数据库",
            url=url,
        )


class ReservedUser(CaseflowError):
    """``system`` is the clock's own identity: only the sweep acts as it (issue: identity)."""

    code = "RESERVED_USER"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"「{name}」是系统保留身份，只有到期处理程序以它办理；请以您自己的用户名操作",
            user=name,
        )


class UserExists(CaseflowError):
    code = "USER_EXISTS"

    def __init__(self, name: str) -> None:
        super().__init__(f"用户已存在：{name}", user=name)


class UnknownProcedure(CaseflowError):
    code = "UNKNOWN_PROCEDURE"

    def __init__(self, name: str, known: Sequence[str]) -> None:
        super().__init__(
            f"未知的程序：{name}；可用的程序：{'、'.join(known)}", procedure=name, known=list(known)
        )


class InvalidInput(CaseflowError):
    """Input outside a trigger payload (subject, user, attachment, options) is wrong."""

    code = "INVALID_INPUT"

    def __init__(self, field: str, why: str) -> None:
        super().__init__(f"「{field}」{why}", field=field, reason=why)


class ValueNotStorable(CaseflowError):
    """A value the database refused to store or compare: a number past its column's range
    (an id, a page, a count), or text it cannot hold. Raised by the unit of work for what
    slipped past the checks at the edge, so no entry point shows a driver's traceback."""

    code = "VALUE_OUT_OF_RANGE"

    def __init__(self, why: str) -> None:
        super().__init__(f"数据库无法保存或查找该值（{why}）", reason=why)


_ERRNO_WORDS = {
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ENOENT: "文件或其所在目录不存在",
    errno.EACCES: "没有读写权限",
    errno.EPERM: "没有读写权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EEXIST: "文件已存在",
}


def file_problem(exc: OSError) -> str:
    """An OSError on a file someone named, in words."""
    what = _ERRNO_WORDS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    name = exc.filename if exc.filename is not None else "文件"
    return f"无法读写 {name}：{what}"


class FileProblem(InvalidInput):
    """A file someone named could not be read or written."""

    code = "FILE_ERROR"

    def __init__(self, what: str, exc: OSError) -> None:
        super().__init__(what, file_problem(exc))


class ProcedureDeclarationError(Exception):
    """A procedure declaration is wrong; raised at load time, for developers and admins."""

    code = "PROCEDURE_DECLARATION_INVALID"

    def __init__(self, procedure: str, problem: str) -> None:
        super().__init__(f"procedure {procedure!r}: {problem}")
        self.procedure = procedure
        self.problem = problem
