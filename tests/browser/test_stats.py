"""统计 in a real browser: the head opens the statistics of the demo story — every chart
drawn (server-side SVG images, loaded), the figures table — and downloads the 台账."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook
from playwright.sync_api import expect
from rich.console import Console

from engine.deadlines import LOCAL_TZ
from engine.entrypoints.demo import run_demo
from tests.browser.conftest import Site


def test_the_statistics_page_of_the_demo(site: Site) -> None:
    start = datetime(2026, 3, 2, 9, 30, tzinfo=LOCAL_TZ)
    # ending on 1 December: the story's last cases are still running, one of them overdue
    run_demo(site.services, Console(file=io.StringIO()), start, start.replace(month=12))
    page = site.person("zhou", width=1366, height=1900)
    page.goto("/stats?from=2026-01-01&to=2026-12-31")
    expect(page.locator("h1")).to_contain_text("统计")
    charts = page.locator(".charts img")
    expect(charts).to_have_count(7)
    widths = charts.evaluate_all("imgs => imgs.map(i => i.complete && i.naturalWidth)")
    assert all(w and w > 0 for w in widths)  # every chart decoded and drawn
    expect(page.locator("table.list").first).to_contain_text("2026-03")
    site.shot(page, "web-stats")
    with page.expect_download() as info:
        page.click("text=下载台账（Excel）")
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    assert "农民工工资拖欠案件查处" in book.sheetnames
