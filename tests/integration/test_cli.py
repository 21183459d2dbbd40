"""The CLI end to end on a fresh SQLite file: init, users, a case through its steps, the
read commands with --json, the diagram, and the demo."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from engine.entrypoints.cli import app as cli_app

runner = CliRunner()


def run(db: str, *args: str, user: str | None = None) -> Result:
    base = ["--db", db] + (["--as", user] if user else [])
    return runner.invoke(cli_app, [*base, *args])


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_fresh_database_needs_init(db: str) -> None:
    result = run(db, "list")
    assert result.exit_code == 2
    assert "caseflow init" in result.stderr and "SCHEMA_NOT_READY" in result.stderr
    first = run(db, "init")
    assert first.exit_code == 0 and "已创建" in first.stdout
    again = run(db, "init")
    assert "已是最新结构" in again.stdout


def test_a_case_through_the_cli(db: str) -> None:
    assert run(db, "init").exit_code == 0
    assert run(db, "user", "add", "admin", "--role", "admin", "--unit", "办公室").exit_code == 0
    for name, role in [("wang", "inspector"), ("li", "inspector"), ("chen", "supervisor")]:
        added = run(
            db, "user", "add", name, "--role", role, "--unit", "县劳动保障监察大队", user="admin"
        )
        assert added.exit_code == 0, added.output
    refused = run(db, "user", "add", "x", "--role", "inspector", "--unit", "u", user="wang")
    assert refused.exit_code == 2 and "NOT_PERMITTED" in refused.stderr
    bad_role = run(db, "user", "add", "y", "--role", "boss", "--unit", "u", user="admin")
    assert bad_role.exit_code == 2 and "角色" in bad_role.stderr

    opened = run(
        db,
        "open",
        "wage_arrears",
        "--name",
        "某建筑公司",
        "--address",
        "定城镇",
        "--uscc",
        "91469021MA5T3XY14R",
        "--json",
        user="wang",
    )
    assert opened.exit_code == 0, opened.output
    ref = json.loads(opened.stdout)["ref"]
    assert run(db, "fire", ref, "accept", "-s", "summary=受理", user="wang").exit_code == 0
    assert run(db, "assign", ref, "wang", "li", user="chen").exit_code == 0
    assert run(db, "fire", ref, "start_investigation", user="li").exit_code == 0
    assert run(db, "note", ref, "已询问承包人", user="wang").exit_code == 0
    shown = json.loads(run(db, "show", ref, "--json").stdout)
    assert shown["state"] == "investigating" and shown["assignees"] == ["wang", "li"]
    assert [t["name"] for t in shown["timers"]] == ["investigation"]
    assert {a["trigger"] for a in shown["allowed_triggers"]} >= {"record_findings"}
    history = json.loads(run(db, "history", ref, "--json").stdout)
    assert [e["kind"] for e in history] == ["opened", "fired", "assigned", "fired", "note"]
    listed = json.loads(run(db, "list", "--json", "--inspector", "li").stdout)
    assert [c["ref"] for c in listed] == [ref]
    assert json.loads(run(db, "list", "--json", "--state", "closed").stdout) == []
    plain = run(db, "history", ref)
    assert "开始调查" in plain.stdout and "调查中" in plain.stdout


def test_attachment_is_stored_with_its_hash(db: str, tmp_path: Path) -> None:
    run(db, "init")
    run(db, "user", "add", "wang", "--role", "inspector", "--unit", "大队")
    ref = json.loads(
        run(
            db,
            "open",
            "wage_arrears",
            "--name",
            "某公司",
            "--address",
            "定城镇",
            "--uscc",
            "91469021MA5T3XY14R",
            "--json",
            user="wang",
        ).stdout
    )["ref"]
    photo = tmp_path / "张贴送达.jpg"
    photo.write_bytes(b"\xff\xd8fake-jpeg")
    attached = run(db, "attach", ref, str(photo), "--note", "张贴送达照片", "--json", user="wang")
    assert attached.exit_code == 0, attached.output
    [att] = json.loads(attached.stdout)["attachments"]
    import hashlib

    assert att["sha256"] == hashlib.sha256(b"\xff\xd8fake-jpeg").hexdigest()
    missing = run(db, "attach", ref, str(tmp_path / "nope.jpg"), user="wang")
    assert missing.exit_code == 2 and "文件不存在" in missing.stderr


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz (dot) is not installed")
def test_diagram_has_readable_chinese_labels(tmp_path: Path) -> None:
    out = tmp_path / "wa.svg"
    result = runner.invoke(cli_app, ["procedures", "--diagram", "wage_arrears", "-o", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text("utf-8")
    assert "投诉已登记" in svg and "责令限期支付" in svg and "WenQuanYi Zen Hei" in svg
    bad = runner.invoke(cli_app, ["procedures", "--diagram", "wage_arrears", "-o", "x.gif"])
    assert bad.exit_code == 2 and "不支持的图形格式" in bad.stderr
    unknown = runner.invoke(cli_app, ["procedures", "--diagram", "nope", "-o", str(out)])
    assert unknown.exit_code == 2 and "UNKNOWN_PROCEDURE" in unknown.stderr


def test_demo_builds_a_story_to_explore(db: str) -> None:
    result = run(db, "demo", "--no-serve")
    assert result.exit_code == 0, result.output
    assert "演示完成" in result.stdout
    assert "wang2026demo" in result.stdout  # the demo users' passwords, to sign in with
    assert re.search(r"定人社监令〔\d{4}〕1号", result.stdout)
    board = json.loads(run(db, "deadlines", "--json").stdout)
    assert [(r["timer"], r["overdue"]) for r in board] == [
        ("intake_decision", True),
        ("investigation", False),
    ]
    cases = json.loads(run(db, "list", "--json").stdout)
    assert len(cases) >= 2
    assert json.loads(run(db, "verify", "--json").stdout)["ok"] is True
    # A second run adds a new story next to the first.
    assert run(db, "demo", "--no-serve").exit_code == 0
    assert len(json.loads(run(db, "list", "--json").stdout)) == 2 * len(cases)


def test_user_administration_by_the_admin_recorded_in_the_audit_log(db: str) -> None:
    assert run(db, "init").exit_code == 0
    assert run(db, "user", "add", "admin", "--role", "admin", "--unit", "办公室").exit_code == 0
    assert run(db, "user", "add", "wang", "--role", "inspector", "--unit", "大队", user="admin")
    assert run(db, "user", "role", "wang", "supervisor", user="admin").exit_code == 0
    assert run(db, "user", "unit", "wang", "二大队", user="admin").exit_code == 0
    assert run(db, "user", "disable", "wang", user="admin").exit_code == 0
    stopped = run(db, "note", "WA2026-0001", "停用后", user="wang")  # a disabled user cannot act
    assert stopped.exit_code == 2 and "UNKNOWN_USER" in stopped.stderr
    # Nobody raises their own role, disables themselves or the last admin; only the admin.
    for args, user, code in [
        (("user", "role", "admin", "inspector"), "admin", "INVALID_INPUT"),
        (("user", "disable", "admin"), "admin", "INVALID_INPUT"),
        (("user", "enable", "wang"), "wang", "UNKNOWN_USER"),
        (("user", "add", "system", "--role", "head", "--unit", "局"), "admin", "INVALID_INPUT"),
        (("note", "WA2026-0001", "以系统名义"), "system", "RESERVED_USER"),
    ]:
        refused = run(db, *args, user=user)
        assert refused.exit_code == 2 and code in refused.stderr, (args, refused.output)
    assert run(db, "user", "enable", "wang", user="admin").exit_code == 0
    listed = json.loads(run(db, "user", "list", "--json").stdout)
    wang = next(u for u in listed if u["name"] == "wang")
    assert (wang["role"], wang["unit"], wang["active"]) == ("supervisor", "二大队", True)
    audit = run(db, "audit", "--json", user="admin")
    assert audit.exit_code == 0, audit.output
    kinds = {e["kind"] for e in json.loads(audit.stdout) if e["subject"] == "wang"}
    assert {"role_changed", "unit_changed", "user_disabled", "user_enabled"} <= kinds
    shown = run(db, "audit", user="admin")
    assert "变更角色" in shown.stdout or "角色" in shown.stdout
    assert run(db, "audit", user="wang").exit_code == 2


def test_officers_certificates_and_a_service_through_the_cli(db: str) -> None:
    assert run(db, "init").exit_code == 0
    assert run(db, "user", "add", "admin", "--role", "admin", "--unit", "办公室").exit_code == 0
    unit = "县劳动保障监察大队"
    staff = [
        ("wang", "inspector", "王建国", "46902520170031"),
        ("li", "inspector", "李秀梅", ""),
        ("chen", "supervisor", "陈志强", ""),
    ]
    for name, role, full, cert in staff:
        args = ["user", "add", name, "--role", role, "--unit", unit, "--full-name", full]
        added = run(db, *args, *(["--cert-no", cert] if cert else []), user="admin")
        assert added.exit_code == 0, added.output
    bad = run(db, "user", "edit", "chen", "--cert-no", "证!", user="admin")
    assert bad.exit_code == 2 and "执法证号" in bad.stderr
    edited = run(db, "user", "edit", "chen", "--title", "大队长", "--json", user="admin")
    assert json.loads(edited.stdout)["title"] == "大队长"
    opened = run(
        db,
        "open",
        "wage_arrears",
        "--name",
        "某建筑公司",
        "--address",
        "定城镇",
        "--uscc",
        "91469021MA5T3XY14R",
        "--json",
        user="wang",
    )
    ref = json.loads(opened.stdout)["ref"]
    assert run(db, "fire", ref, "accept", "-s", "summary=受理", user="wang").exit_code == 0
    assert run(db, "assign", ref, "wang", "li", user="chen").exit_code == 0
    assert run(db, "fire", ref, "start_investigation", user="wang").exit_code == 0
    findings = {
        "workers": 3,
        "months": 2,
        "claimed": "30000",
        "admitted": "30000",
        "facts": "拖欠3名劳动者2个月工资3万元",
    }
    payload = json.dumps(findings, ensure_ascii=False)
    assert run(db, "fire", ref, "record_findings", "--payload", payload, user="wang").exit_code == 0
    refused = run(db, "fire", ref, "order_payment", user="wang")
    assert refused.exit_code == 2 and "OFFICER_INCOMPLETE" in refused.stderr  # 李秀梅 has none
    assert "李秀梅" in refused.stderr and "执法证号" in refused.stderr
    certified = run(db, "user", "edit", "li", "--cert-no", "46902520190047", user="admin")
    assert certified.exit_code == 0
    ordered = run(db, "fire", ref, "order_payment", user="wang")
    assert ordered.exit_code == 0, ordered.output
    [order] = json.loads(run(db, "notices", ref, "--json").stdout)
    served = run(
        db,
        "record-service",
        ref,
        "--document",
        str(order["id"]),
        "--recipient",
        "某建筑公司",
        "--method",
        "post",
        "--on",
        order["issued_at"][:10],
        user="wang",
    )
    assert served.exit_code == 2 and "邮件单号" in served.stderr
    served = run(
        db,
        "record-service",
        ref,
        "--document",
        str(order["id"]),
        "--recipient",
        "某建筑公司",
        "--method",
        "post",
        "--on",
        order["issued_at"][:10],
        "--tracking-no",
        "1187654321098",
        "--signed-by",
        "陈某",
        user="wang",
    )
    assert served.exit_code == 0, served.output
    assert "送达回证" in served.stdout
    notices = json.loads(run(db, "notices", ref, "--json").stdout)
    assert [n["title"] for n in notices] == [order["title"], "送达回证"]

    refused = run(db, "department", "set", "tax", "县税务局", user="wang")
    assert refused.exit_code == 2 and "NOT_PERMITTED" in refused.stderr
    renamed = run(db, "department", "set", "housing_construction", "县住房城乡建设局", user="admin")
    assert renamed.exit_code == 0, renamed.output
    rows = {r["key"]: r for r in json.loads(run(db, "department", "list", "--json").stdout)}
    assert rows["housing_construction"]["name"] == "县住房城乡建设局"
    assert "县住建局" in rows["housing_construction"]["seed_names"]
    referred = run(
        db,
        "fire",
        ref,
        "refer",
        "-s",
        "department=housing_construction",
        "-s",
        "facts=逾期未支付",
        user="wang",
    )
    assert referred.exit_code == 0, referred.output
    letter = json.loads(run(db, "notices", ref, "--json").stdout)[-1]
    out = run(db, "notice", "render", str(letter["id"]), "--format", "html", "-o", "-")
    assert "定安县住房城乡建设局：" in out.stdout


def test_events_recorded_by_the_cli_say_so(db: str) -> None:
    assert run(db, "init").exit_code == 0
    assert run(db, "user", "add", "admin", "--role", "admin", "--unit", "办公室").exit_code == 0
    added = run(
        db,
        "user",
        "add",
        "wang",
        "--role",
        "inspector",
        "--unit",
        "县劳动保障监察大队",
        "--full-name",
        "王建国",
        "--cert-no",
        "46902520170031",
        user="admin",
    )
    assert added.exit_code == 0, added.output
    opened = run(
        db,
        "open",
        "wage_arrears",
        "--name",
        "定安县某公司",
        "--address",
        "定城镇",
        "--uscc",
        "91469021MA5T3XY14R",
        "--source",
        "投诉",
        user="wang",
    )
    assert opened.exit_code == 0, opened.output
    history = json.loads(run(db, "history", "WA2026-0001", "--json").stdout)
    assert history[0]["payload"]["_channel"] == "cli"
