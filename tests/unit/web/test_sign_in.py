"""Signing in to the web app: wrong passwords, lock-out, sessions, sign-out, the one-time
password, the form tokens, the security headers."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.auth import AuditKind
from engine.entrypoints.web.app import create_app
from engine.entrypoints.web.config import SESSION_COOKIE, WebConfig
from engine.service.auth import Client
from tests.unit.web.conftest import Browser


def _audit(services: App) -> list[AuditKind]:
    return [e.kind for e in services.auth.audit_log(actor="admin", per_page=200).items]


def test_signing_in_lands_in_the_inbox_with_a_safe_cookie(browser: Browser) -> None:
    response = browser.sign_in("wang")
    assert response.status_code == 200 and "我的待办" in response.text
    cookie = response.history[0].headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie


def test_the_cookie_is_secure_when_configured(services: App) -> None:
    secure = create_app(services, WebConfig(cookie_secure=True))
    with TestClient(secure, base_url="https://testserver") as client:
        browser = Browser(client)
        response = browser.sign_in("wang")
        assert "Secure" in response.history[0].headers["set-cookie"]


def test_wrong_password_and_unknown_user_get_the_same_answer(browser: Browser) -> None:
    wrong = browser.sign_in("wang", "not-it-1")
    unknown = browser.sign_in("nobody", "not-it-1")
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码错误（SIGN_IN_FAILED）" in wrong.text
    assert "用户名或密码错误（SIGN_IN_FAILED）" in unknown.text


def test_five_failures_lock_the_account(browser: Browser, services: App, clock: FixedClock) -> None:
    for _ in range(5):
        browser.sign_in("wang", "wrong-1234")
    locked = browser.sign_in("wang")
    assert locked.status_code == 401 and "ACCOUNT_LOCKED" in locked.text
    assert AuditKind.LOCKED_OUT in _audit(services)
    clock.set(clock.now() + timedelta(minutes=15, seconds=1))
    assert "我的待办" in browser.sign_in("wang").text


def test_pages_need_a_session_and_come_back_after_sign_in(web: TestClient) -> None:
    response = web.get("/cases?q=x", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/cases?q=x"


def test_an_idle_session_expires(browser: Browser, clock: FixedClock) -> None:
    browser.sign_in("wang")
    clock.set(clock.now() + timedelta(minutes=31))
    response = browser.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_signing_out_ends_the_session_for_good(browser: Browser, web: TestClient) -> None:
    browser.sign_in("wang")
    token = web.cookies.get(SESSION_COOKIE)
    browser.post("/logout")
    web.cookies.set(SESSION_COOKIE, token or "")  # the old cookie, replayed
    assert web.get("/", follow_redirects=False).status_code == 303


def test_a_form_without_its_token_is_refused(browser: Browser, services: App) -> None:
    browser.sign_in("chen")
    refused = browser.client.post("/logout", data={})
    assert refused.status_code == 403 and "CSRF_FAILED" in refused.text
    forged = browser.client.post("/logout", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    assert _audit(services).count(AuditKind.CSRF_REFUSED) == 2
    assert browser.get("/", follow_redirects=False).status_code == 200  # still signed in


def test_the_sign_in_form_has_its_own_token(web: TestClient) -> None:
    response = web.post(
        "/login", data={"username": "wang", "password": "wangpass2026", "login_token": "x"}
    )
    assert response.status_code == 401 and "CSRF_FAILED" in response.text


def test_a_one_time_password_must_be_changed_first(browser: Browser, services: App) -> None:
    one_time = services.users.reset_password("li", actor="admin")
    response = browser.sign_in("li", one_time)
    assert "请先设置自己的新密码" in response.text
    assert browser.get("/cases", follow_redirects=False).headers["location"] == "/password"
    browser.csrf = response.text.split('name="csrf-token" content="')[1].split('"')[0]
    mismatch = browser.post("/password", {"old": one_time, "new": "li2026new", "again": "x"})
    assert "两次输入的新密码不一致" in mismatch.text
    done = browser.post("/password", {"old": one_time, "new": "li2026new", "again": "li2026new"})
    assert done.status_code == 200 and "密码已修改" in done.text
    assert browser.get("/cases", follow_redirects=False).status_code == 200
    assert services.auth.sign_in("li", "li2026new", Client()).user.name == "li"


def test_every_response_carries_the_security_headers(browser: Browser) -> None:
    for response in (browser.get("/login"), browser.get("/static/app.css")):
        headers = response.headers
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
