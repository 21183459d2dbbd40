"""`caseflow import` on SQLite and PostgreSQL: a GBK CSV imported in one transaction, a file
with an invalid row refused whole (nothing written) or imported without it, a dry run, the
template written, a file that is not a spreadsheet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from engine.bootstrap import App
from engine.entrypoints.cli import app as cli_app
from tests.unit.intake.test_bulk_intake import BAD, GOOD, _csv

runner = CliRunner()


def cli(db_url: str, *args: str) -> Any:
    return runner.invoke(cli_app, ["--db", db_url, "--as", "wang", *args])


def test_caseflow_import(staffed: App, db_url: str, tmp_path: Path) -> None:
    mixed = tmp_path / "投诉.csv"
    mixed.write_bytes(_csv(GOOD[0], list(BAD)[1], GOOD[1], encoding="gbk"))
    refused = cli(db_url, "import", str(mixed))
    assert refused.exit_code == 2 and "IMPORT_HAS_ERRORS" in refused.output
    assert staffed.queries.search().total == 0  # all or nothing: nothing
    checked = cli(db_url, "import", str(mixed), "--dry-run", "--json")
    assert checked.exit_code == 0
    report = json.loads(checked.stdout)
    assert report["valid"] == 2 and report["invalid"][0]["line"] == 3 and not report["opened"]
    done = cli(db_url, "import", str(mixed), "--only-valid", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["opened"] == ["WA2026-0001", "WA2026-0002"]
    case = staffed.queries.get_case("WA2026-0001").case
    assert case.source == "全国根治欠薪线索反映平台" and case.data["claimed"] == "86000.00"
    again = cli(db_url, "import", str(mixed), "--only-valid", "--json")
    assert json.loads(again.stdout)["opened"] == []  # every row now a duplicate of an open case
    template = tmp_path / "模板.xlsx"
    assert cli(db_url, "import", "--template", str(template)).exit_code == 0
    assert template.read_bytes().startswith(b"PK")
    photo = tmp_path / "照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0JFIF")
    wrong = cli(db_url, "import", str(photo))
    assert wrong.exit_code == 2 and "NOT_A_SPREADSHEET" in wrong.output
