"""统计: charts drawn on the server (SVG images, no script), the figures in a table, the 台账
to download — for supervisors and the head only."""

from __future__ import annotations

import base64
import io
import re
from datetime import timedelta

from openpyxl import load_workbook

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from tests.unit.service._flows import to_payment_ordered
from tests.unit.web.conftest import Browser


def test_the_head_sees_the_statistics_and_downloads_the_ledger(
    browser: Browser, services: App, clock: FixedClock
) -> None:
    ref = to_payment_ordered(services, clock).ref
    clock.set(clock.now() + timedelta(days=1))  # paid the next day (never a future date)
    payment = {"amount": "50000", "paid_on": "2026-03-13", "evidence": "转账凭证"}
    services.cases.fire(ref, "record_payment", payment, actor="wang")
    browser.sign_in("zhou")
    page = browser.get("/stats?from=2026-01-01&to=2026-12-31")
    assert page.status_code == 200 and "下载台账" in page.text
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page.text)
    assert len(images) == 7
    svgs = [base64.b64decode(i).decode() for i in images]
    assert all("<script" not in s and "http" not in s.split("-->")[-1] for s in svgs)
    assert "各月登记案件（按程序）" in svgs[0] and "农民工工资拖欠案件查处" in svgs[0]
    assert "50,000.00" in page.text  # the wages recovered in March
    download = browser.get("/stats/ledger.xlsx?from=2026-01-01&to=2026-12-31")
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(download.content))
    assert book["农民工工资拖欠案件查处"]["A2"].value == ref
    bad = browser.get("/stats?from=2026-13-01")
    assert bad.status_code == 422 and "INVALID_INPUT" in bad.text


def test_the_supervisor_sees_their_unit_and_an_inspector_nothing(
    browser: Browser, other_browser: Browser, services: App, clock: FixedClock
) -> None:
    to_payment_ordered(services, clock)
    services.users.add_user("qian", "supervisor", "县社会保险基金监督股", actor="admin")
    services.users.reset_password("qian", actor="admin", password="qianpass2026", must_change=False)
    browser.sign_in("qian", "qianpass2026")
    assert "统计期间内新收和在办的 0 件案件" in browser.get("/stats").text
    other_browser.sign_in("wang")
    refused = other_browser.get("/stats")
    assert refused.status_code == 403 and "NOT_PERMITTED" in refused.text
    assert other_browser.get("/stats/ledger.xlsx").status_code == 403
