"""批量登记 in a real browser: an inspector uploads a GBK CSV with one bad row, reads the
row's error in the preview, imports only the valid rows, and finds the cases."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import Site
from tests.unit.intake.test_bulk_intake import BAD, GOOD, _csv


def test_an_inspector_imports_a_batch_of_complaints(site: Site, tmp_path: Path) -> None:
    upload = tmp_path / "12345热线转办.csv"
    upload.write_bytes(_csv(GOOD[0], list(BAD)[1], GOOD[1], encoding="gbk"))
    page = site.person("wang")
    page.click("nav >> text=批量登记")
    page.set_input_files("input[type=file]", str(upload))
    page.click("button:has-text('预览检查')")
    expect(page.locator("h1")).to_contain_text("预览：12345热线转办.csv")
    expect(page.locator(".row-error")).to_contain_text("校验位不正确")
    page.check("input[value=valid]")
    page.click("button:has-text('登记为案件')")
    expect(page.locator("h1")).to_contain_text("已登记 2 件案件")
    site.shot(page, "web-import-done")
    page.click("ul.refs a >> nth=0")
    expect(page.locator("body")).to_contain_text("定安县甲建筑公司")
    assert site.services.queries.search().total == 2
