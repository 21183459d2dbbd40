"""系统管理 (the admin's): users, the holiday calendar with a preview of what an import
changes, the county profile, the audit log, and the integrity check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response

from engine.deadlines import LOCAL_TZ
from engine.domain.auth import AuditKind
from engine.domain.errors import CaseflowError, InvalidInput
from engine.domain.permissions import require_role
from engine.domain.procedure import Actor
from engine.domain.roles import Role
from engine.entrypoints.web.deps import Caller, Form, Services, Session, page, redirect
from engine.service.auth import CurrentSession
from workflows.counties import CountySettings, department_rows

router = APIRouter(prefix="/admin")

MAX_CALENDAR_BYTES = 200_000
ROLES = [r for r in Role if r is not Role.SYSTEM]


def _admin(session: CurrentSession) -> None:
    require_role(Actor(session.user.name, session.user.role), (Role.ADMIN,), "系统管理")


@router.get("")
def overview(request: Request, services: Services, session: Session) -> Response:
    _admin(session)
    context = {"users": services.users.users(), "cases": services.queries.count()}
    return page(request, "admin/index.html", context)


def _users_page(
    request: Request,
    services: Services,
    message: str = "",
    password: str = "",
    error: str = "",
    status: int = 200,
) -> Response:
    context = {
        "users": services.users.users(),
        "roles": ROLES,
        "message": message,
        "password": password,
        "error": error,
    }
    return page(request, "admin/users.html", context, status=status)


@router.get("/users")
def users(request: Request, services: Services, session: Session) -> Response:
    _admin(session)
    return _users_page(request, services)


@router.post("/users")
def add_user(
    request: Request, services: Services, session: Session, form: Form, caller: Caller
) -> Response:
    _admin(session)
    name = str(form.get("name", "")).strip()
    try:
        user = services.users.add_user(
            name,
            str(form.get("role", "")),
            str(form.get("unit", "")),
            str(form.get("display_name", "")),
            actor=session.user.name,
            cert_no=str(form.get("cert_no", "")),
            title=str(form.get("title", "")),
            client=caller,
        )
        password = services.users.reset_password(user.name, actor=session.user.name, client=caller)
    except CaseflowError as exc:
        return _users_page(request, services, error=f"{exc.message}（{exc.code}）", status=422)
    note = f"已添加用户 {user.name}（{user.label}）。初始密码仅显示这一次，首次登录须修改："
    return _users_page(request, services, note, password)


@router.post("/users/{name}/{change}")
def change_user(
    request: Request,
    services: Services,
    session: Session,
    form: Form,
    caller: Caller,
    name: str,
    change: str,
) -> Response:
    _admin(session)
    me = session.user.name
    try:
        if change == "reset":
            password = services.users.reset_password(name, actor=me, client=caller)
            note = f"已为 {name} 重置密码，其所有会话已结束。一次性密码仅显示这一次："
            return _users_page(request, services, note, password)
        if change in ("disable", "enable"):
            services.users.set_active(name, change == "enable", actor=me, client=caller)
        elif change == "role":
            services.users.set_role(name, str(form.get("role", "")), actor=me, client=caller)
        elif change == "unit":
            services.users.set_unit(name, str(form.get("unit", "")), actor=me, client=caller)
        elif change == "profile":
            services.users.edit(
                name,
                actor=me,
                display_name=str(form.get("display_name", "")),
                cert_no=str(form.get("cert_no", "")),
                title=str(form.get("title", "")),
                client=caller,
            )
        else:
            raise InvalidInput("操作", f"未知的用户管理操作：{change}")
    except CaseflowError as exc:
        return _users_page(request, services, error=f"{exc.message}（{exc.code}）", status=422)
    return redirect("/admin/users", f"已更新用户 {name}")


@router.get("/calendar")
def calendar(request: Request, services: Services, session: Session) -> Response:
    _admin(session)
    today = services.clock.now().astimezone(LOCAL_TZ).year
    years = [services.calendar.show_year(y) for y in range(today - 1, today + 3)]
    return page(request, "admin/calendar.html", {"years": years})


@router.post("/calendar")
async def calendar_import(
    request: Request,
    services: Services,
    session: Session,
    form: Form,
    caller: Caller,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    _admin(session)
    text = str(form.get("text", ""))
    source = str(form.get("source", "")) or "上传的文件"
    if file is not None and file.filename:
        raw = await file.read(MAX_CALENDAR_BYTES + 1)
        if len(raw) > MAX_CALENDAR_BYTES:
            raise InvalidInput("放假安排文件", "超过 200 KB")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("放假安排文件", "不是 UTF-8 编码的 TOML 文本") from None
        source = file.filename
    today = services.clock.now().astimezone(LOCAL_TZ).year
    years = [services.calendar.show_year(y) for y in range(today - 1, today + 3)]
    try:
        if form.get("confirm"):
            result = services.calendar.import_arrangements(
                text, actor=session.user.name, source=source, client=caller
            )
            message = f"已导入 {'、'.join(map(str, result.years))} 年放假安排"
            return redirect(
                "/admin/calendar", f"{message}，重算暂定期限 {len(result.recomputed)} 项"
            )
        result = services.calendar.preview(text, actor=session.user.name, source=source)
    except CaseflowError as exc:
        failed = {"years": years, "error": f"{exc.message}（{exc.code}）", "text": text}
        return page(request, "admin/calendar.html", failed, status=422)
    context: dict[str, object] = {
        "years": years,
        "preview": result,
        "text": text,
        "source": source,
    }
    return page(request, "admin/calendar.html", context)


@router.get("/profile")
def profile(request: Request, services: Services, session: Session) -> Response:
    _admin(session)
    settings = services.county.settings
    context = {
        "county": services.county,
        "profile": settings.profile if isinstance(settings, CountySettings) else None,
        "periods": settings.periods if isinstance(settings, CountySettings) else {},
    }
    return page(request, "admin/profile.html", context)


def _departments_page(
    request: Request, services: Services, error: str = "", status: int = 200
) -> Response:
    settings = services.county.settings
    rows = (
        department_rows(settings, services.departments.renamed())
        if isinstance(settings, CountySettings)
        else []
    )
    return page(request, "admin/departments.html", {"rows": rows, "error": error}, status=status)


@router.get("/departments")
def departments(request: Request, services: Services, session: Session) -> Response:
    _admin(session)
    return _departments_page(request, services)


@router.post("/departments/{key}")
def rename_department(
    request: Request, services: Services, session: Session, form: Form, caller: Caller, key: str
) -> Response:
    _admin(session)
    try:
        name = services.departments.rename(
            key, str(form.get("name", "")), actor=session.user.name, client=caller
        )
    except CaseflowError as exc:
        return _departments_page(request, services, f"{exc.message}（{exc.code}）", 422)
    return redirect("/admin/departments", f"{key} 现在的名称：{name}")


@router.post("/departments/{key}/reset")
def reset_department(
    request: Request, services: Services, session: Session, caller: Caller, key: str
) -> Response:
    _admin(session)
    try:
        name = services.departments.reset(key, actor=session.user.name, client=caller)
    except CaseflowError as exc:
        return _departments_page(request, services, f"{exc.message}（{exc.code}）", 422)
    return redirect("/admin/departments", f"{key} 恢复为县情配置中的名称：{name}")


@router.get("/audit")
def audit(
    request: Request,
    services: Services,
    session: Session,
    kind: Annotated[str, Query(max_length=32)] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1,
) -> Response:
    _admin(session)
    entries = services.auth.audit_log(actor=session.user.name, kind=kind or None, page=page_no)
    context = {"entries": entries, "kinds": list(AuditKind), "kind": kind}
    return page(request, "admin/audit.html", context)


@router.get("/verify")
def verify_form(request: Request, session: Session) -> Response:
    _admin(session)
    return page(request, "admin/verify.html", {"report": None})


@router.post("/verify")
def verify(
    request: Request, services: Services, session: Session, form: Form, caller: Caller
) -> Response:
    _admin(session)
    report = services.queries.verify()
    detail = f"校验 {report.checked} 件，发现 {len(report.broken)} 件被改动"
    services.auth.record_event(AuditKind.VERIFY_RUN, session.user.name, "", detail, caller)
    return page(request, "admin/verify.html", {"report": report})
