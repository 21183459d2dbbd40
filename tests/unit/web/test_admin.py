"""The admin's pages: users, the calendar import preview, the profile, the audit log, the
integrity check — and nobody else's."""

from __future__ import annotations

import html
import re
from pathlib import Path

from engine.bootstrap import App
from engine.service.auth import Client
from tests.unit.service._flows import complaint
from tests.unit.web.conftest import Browser

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "calendar_2027.toml"


def test_only_the_admin_administers(browser: Browser) -> None:
    browser.sign_in("chen")
    pages = ("/admin", "/admin/users", "/admin/audit", "/admin/calendar", "/admin/profile")
    for url in (*pages, "/admin/departments"):
        response = browser.get(url)
        assert response.status_code == 403 and "NOT_PERMITTED" in response.text, url
    assert browser.post("/admin/users", {"name": "x"}).status_code == 403


def test_adding_a_user_shows_the_one_time_password_once(browser: Browser, services: App) -> None:
    browser.sign_in("admin")
    form = {"name": "qian", "display_name": "钱监察", "role": "inspector", "unit": "县监察大队"}
    added = browser.post("/admin/users", form)
    password = re.search(r'<code class="password">([^<]+)</code>', added.text)
    assert password is not None and "首次登录须修改" in added.text
    assert '<code class="password">' not in browser.get("/admin/users").text
    session = services.auth.sign_in("qian", password.group(1), Client())
    assert session.must_change_password
    disabled = browser.post("/admin/users/qian/disable")
    assert "已更新用户 qian" in disabled.text and "已停用" in disabled.text
    own = browser.post("/admin/users/admin/disable")
    assert own.status_code == 422 and "不能停用自己的账户" in own.text
    role = browser.post("/admin/users/zhao/role", {"role": "supervisor"})
    assert "已更新用户 zhao" in role.text
    audit = browser.get("/admin/audit").text
    assert "添加用户" in audit and "停用用户" in audit and "变更角色" in audit


def test_a_calendar_import_is_previewed_then_confirmed(browser: Browser, services: App) -> None:
    complaint(services)
    browser.sign_in("admin")
    preview = browser.post(
        "/admin/calendar", files={"file": ("2027.toml", FIXTURE.read_bytes(), "text/plain")}
    )
    assert preview.status_code == 200 and "导入预览：2027 年" in preview.text
    assert services.calendar.show_year(2027).kind == "statutory"  # nothing changed yet
    text = re.search(r'name="text" value="([^"]*)"', preview.text, re.S)
    assert text is not None
    done = browser.post(
        "/admin/calendar",
        {"text": html.unescape(text.group(1)), "source": "2027.toml", "confirm": "1"},
    )
    assert "已导入 2027 年放假安排" in done.text
    assert services.calendar.show_year(2027).kind == "imported"
    broken = browser.post("/admin/calendar", files={"file": ("x.toml", b"\xff\xfe", "text/plain")})
    assert broken.status_code == 422 and "UTF-8" in broken.text


def test_profile_audit_and_verify(browser: Browser, services: App) -> None:
    complaint(services)
    browser.sign_in("admin")
    profile = browser.get("/admin/profile").text
    assert "定安县人力资源和社会保障局" in profile and "数额标准" in profile
    report = browser.post("/admin/verify")
    assert "校验通过：1 件案件" in report.text
    assert "完整性校验" in browser.get("/admin/audit?kind=verify_run").text


def test_the_admin_sets_full_name_certificate_and_title(browser: Browser, services: App) -> None:
    browser.sign_in("admin")
    form = {
        "name": "qian",
        "display_name": "钱晓东",
        "role": "inspector",
        "unit": "县劳动保障监察大队",
        "cert_no": "46902520230061",
    }
    browser.post("/admin/users", form)
    assert services.users.get("qian").cert_no == "46902520230061"
    bad = browser.post(
        "/admin/users/qian/profile", {"display_name": "钱晓东", "cert_no": "证号!", "title": ""}
    )
    assert bad.status_code == 422 and "执法证号" in bad.text
    assert services.users.get("qian").cert_no == "46902520230061"  # nothing half-written
    done = browser.post(
        "/admin/users/zhou/profile",
        {"display_name": "周明", "cert_no": "46902520100002", "title": "分管副局长"},
    )
    assert "已更新用户 zhou" in done.text and "分管副局长" in done.text
    assert services.users.get("zhou").job_title == "分管副局长"
    assert "修改用户信息" in browser.get("/admin/audit").text


def test_the_admin_renames_a_department(browser: Browser, services: App) -> None:
    browser.sign_in("admin")
    listing = browser.get("/admin/departments")
    assert listing.status_code == 200
    assert "县工商局" in listing.text and "县市场监督管理局" in listing.text  # seed and now
    bad = browser.post("/admin/departments/market_regulation", {"name": ""})
    assert bad.status_code == 422 and "不能为空" in bad.text
    done = browser.post("/admin/departments/market_regulation", {"name": "县市场监管局"})
    assert "market_regulation 现在的名称：县市场监管局" in done.text
    assert services.departments.names()["market_regulation"] == "县市场监管局"
    undone = browser.post("/admin/departments/market_regulation/reset")
    assert "恢复为县情配置中的名称：县市场监督管理局" in undone.text
