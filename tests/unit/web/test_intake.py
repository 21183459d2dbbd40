"""批量登记 in the web app: upload, the preview with each row's errors, the import of all
rows or only the valid ones, the template, a file that is not a spreadsheet."""

from __future__ import annotations

import re

from engine.bootstrap import App
from tests.unit.intake.test_bulk_intake import BAD, GOOD, _csv
from tests.unit.web.conftest import Browser


def _upload(browser: Browser, content: bytes, name: str = "投诉.csv") -> object:
    return browser.client.post(
        "/cases/import/preview",
        data={"csrf_token": browser.csrf, "procedure": "wage_arrears"},
        files={"file": (name, content, "text/csv")},
    )


def test_preview_then_import_only_the_valid_rows(browser: Browser, services: App) -> None:
    browser.sign_in("wang")
    assert "批量登记" in browser.get("/cases/import").text
    bad_row = list(BAD)[1]
    preview = _upload(browser, _csv(GOOD[0], bad_row, GOOD[1], encoding="gbk"))
    text = preview.text  # type: ignore[attr-defined]
    assert "2 行无误" in text and "1 行有误" in text and "校验位不正确" in text
    content = re.search(r'name="content" value="([^"]+)"', text)
    assert content is not None
    form = {"name": "投诉.csv", "procedure": "wage_arrears", "content": content.group(1)}
    refused = browser.post("/cases/import", {**form, "mode": "all"})
    assert refused.status_code == 422 and "IMPORT_HAS_ERRORS" in refused.text
    assert services.queries.search().total == 0
    done = browser.post("/cases/import", {**form, "mode": "valid"})
    assert "已登记 2 件案件" in done.text and "WA2026-0002" in done.text
    assert "第3行" in done.text
    assert services.queries.search().total == 2


def test_template_and_a_file_that_is_not_a_spreadsheet(browser: Browser) -> None:
    browser.sign_in("chen")
    template = browser.get("/cases/import/template.xlsx")
    assert template.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert template.content.startswith(b"PK")
    refused = _upload(browser, b"\xff\xd8\xff\xe0JFIF", "照片.jpg")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "NOT_A_SPREADSHEET" in refused.text  # type: ignore[attr-defined]
    no_token = browser.client.post(
        "/cases/import/preview", files={"file": ("a.csv", _csv(GOOD[0]), "text/csv")}
    )
    assert no_token.status_code == 403


def test_the_head_does_not_register_cases(browser: Browser) -> None:
    browser.sign_in("zhou")
    refused = _upload(browser, _csv(GOOD[0]))
    assert refused.status_code == 422 and "NOT_PERMITTED" in refused.text  # type: ignore[attr-defined]
