"""系统管理 → 接口令牌: created for a user and shown once, listed without the secret,
revoked; the admin's only. The token then works (and stops working) on the JSON API."""

from __future__ import annotations

import re

from engine.bootstrap import App
from tests.unit.web.conftest import Browser


def test_the_admin_creates_and_revokes_a_token(browser: Browser, services: App) -> None:
    browser.sign_in("admin")
    assert "接口令牌" in browser.get("/admin").text
    created = browser.post("/admin/tokens", {"user": "wang", "label": "12345 热线对接"})
    shown = re.search(r'<code class="password">(cf_[^<]+)</code>', created.text)
    assert shown is not None and "只显示这一次" in created.text
    token = shown.group(1)
    listing = browser.get("/admin/tokens").text
    assert token not in listing and token[:10] in listing and "12345 热线对接" in listing
    api = browser.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.json()["name"] == "wang"
    [record] = services.tokens.list(actor="admin")
    revoked = browser.post(f"/admin/tokens/{record.id}/revoke")
    assert "已吊销接口令牌" in revoked.text and "已吊销" in revoked.text
    api = browser.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    bad = browser.post("/admin/tokens", {"user": "nobody", "label": "x"})
    assert bad.status_code == 422 and "UNKNOWN_USER" in bad.text


def test_nobody_else_manages_tokens(browser: Browser) -> None:
    browser.sign_in("chen")
    assert browser.get("/admin/tokens").status_code == 403
    refused = browser.post("/admin/tokens", {"user": "chen", "label": "自己用"})
    assert refused.status_code == 403 and "NOT_PERMITTED" in refused.text
