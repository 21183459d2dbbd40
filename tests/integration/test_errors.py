"""Every typed error, through the Python API and through the CLI (exit code 2, a Chinese
message, and with --json an error object), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from engine.bootstrap import App
from engine.domain.errors import (
    CaseflowError,
    CaseNotFound,
    GuardFailed,
    NotPermitted,
    PayloadInvalid,
    TriggerNotAllowed,
    VersionConflict,
)
from engine.entrypoints.cli import app as cli_app
from tests.integration.helpers import open_complaint

runner = CliRunner()


def cli(db_url: str, *args: str, user: str | None = "wang") -> Any:
    base = ["--db", db_url, "--county", "dingan"]
    if user:
        base += ["--as", user]
    return runner.invoke(cli_app, [*base, *args])


def test_unknown_case(staffed: App, db_url: str) -> None:
    with pytest.raises(CaseNotFound) as err:
        staffed.cases.fire("WA2026-9999", "accept", actor="wang")
    assert err.value.code == "CASE_NOT_FOUND"
    assert "案件不存在" in err.value.message
    _assert_cli_error(db_url, "CASE_NOT_FOUND", "案件不存在", "show", "WA2026-9999")


def test_trigger_not_allowed_lists_allowed(staffed: App, db_url: str) -> None:
    case = open_complaint(staffed)
    with pytest.raises(TriggerNotAllowed) as err:
        staffed.cases.fire(case.ref, "order_payment", actor="wang")
    assert err.value.allowed == ["accept", "reject"]
    assert "投诉已登记" in err.value.message
    _assert_cli_error(
        db_url, "TRIGGER_NOT_ALLOWED", "当前允许的操作：accept、reject", "fire", case.ref, "close"
    )


def test_guard_failed_names_condition(staffed: App, db_url: str) -> None:
    case = open_complaint(staffed)
    staffed.cases.fire(case.ref, "accept", actor="wang")
    with pytest.raises(GuardFailed) as err:
        staffed.cases.fire(case.ref, "start_investigation", actor="wang")
    assert err.value.failures[0][0] == "两名监察员承办"
    assert "当前仅 1 名" in err.value.message
    _assert_cli_error(
        db_url, "GUARD_FAILED", "劳动保障监察条例第十六条", "fire", case.ref, "start_investigation"
    )


def test_payload_invalid_names_field(staffed: App, db_url: str) -> None:
    case = open_complaint(staffed)
    with pytest.raises(PayloadInvalid) as err:
        staffed.cases.fire(case.ref, "reject", {"ground": ""}, actor="wang")
    assert "ground" in err.value.problems
    _assert_cli_error(db_url, "PAYLOAD_INVALID", "字段「ground」", "fire", case.ref, "reject")
    staffed.cases.fire(case.ref, "accept", actor="wang")
    staffed.cases.assign(case.ref, ["wang", "li"], actor="chen")
    staffed.cases.fire(case.ref, "start_investigation", actor="wang")
    _assert_cli_error(
        db_url,
        "PAYLOAD_INVALID",
        "字段「workers」应为整数",
        "fire",
        case.ref,
        "record_findings",
        "-s",
        "workers=七十二",
        "-s",
        "months=3",
        "-s",
        "claimed=10",
        "-s",
        "admitted=5",
        "-s",
        "facts=x",
    )


def test_not_permitted_for_role(staffed: App, db_url: str) -> None:
    case = open_complaint(staffed)
    with pytest.raises(NotPermitted) as err:
        staffed.cases.fire(case.ref, "accept", actor="sun")
    assert "法制审核员" in err.value.message
    _assert_cli_error(
        db_url, "NOT_PERMITTED", "无权执行「受理立案」", "fire", case.ref, "accept", user="sun"
    )
    _assert_cli_error(db_url, "NOT_PERMITTED", "无权执行「指派承办人」", "assign", case.ref, "li")


def test_version_conflict(staffed: App, db_url: str) -> None:
    case = open_complaint(staffed)
    stale = case.version
    staffed.cases.add_note(case.ref, "已电话联系投诉人", actor="wang")
    with pytest.raises(VersionConflict) as err:
        staffed.cases.fire(case.ref, "accept", actor="wang", expected_version=stale)
    assert "已被他人修改" in err.value.message
    _assert_cli_error(
        db_url,
        "VERSION_CONFLICT",
        "请刷新后重试",
        "fire",
        case.ref,
        "accept",
        "--expect-version",
        str(stale),
    )
    # Nothing was half-applied: the case is still registered, history has one note more.
    assert staffed.queries.get_case(case.ref).case.state == "registered"
    assert len(staffed.queries.history(case.ref)) == 2


def test_bad_subject_code_is_refused(staffed: App, db_url: str) -> None:
    result = cli(
        db_url,
        "open",
        "wage_arrears",
        "--name",
        "某公司",
        "--address",
        "定城镇",
        "--uscc",
        "91469021MA5T3XY14X",
    )
    assert result.exit_code == 2
    assert "统一社会信用代码" in result.stderr and "校验位不正确" in result.stderr
    assert staffed.queries.search().total == 0


def _assert_cli_error(
    db_url: str, code: str, text: str, *args: str, user: str | None = "wang"
) -> None:
    plain = cli(db_url, *args, user=user)
    assert plain.exit_code == 2, plain.output
    assert f"（{code}）" in plain.stderr and text in plain.stderr
    as_json = cli(db_url, *args, "--json", user=user)
    assert as_json.exit_code == 2
    body = json.loads(as_json.stdout)
    assert body["error"]["code"] == code
    assert text in body["error"]["message"]


def test_every_error_has_code_and_chinese_message() -> None:
    def all_subclasses(cls: type[CaseflowError]) -> list[type[CaseflowError]]:
        out: list[type[CaseflowError]] = []
        for sub in cls.__subclasses__():
            out += [sub, *all_subclasses(sub)]
        return out

    codes = [c.code for c in all_subclasses(CaseflowError)]
    assert len(codes) == len(set(codes)), "error codes must be unique"
    assert all(code.isupper() for code in codes)
