"""Every command of the CLI and every one of its options, found by walking the command tree
(a command added later is fuzzed without anyone listing it), fed values drawn from what the
option expects and from what an attacker or a careless user would type: exit 0, or exit 2
with a Chinese message and a stable code — never a traceback — and a refusal leaves every
table as it was (the sign-in audit log aside: a refused attempt is recorded there on
purpose). `serve`, `worker` and the demo story are stubbed where they would block or run
for minutes; their options are still checked."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from db.tables import METADATA
from engine.bootstrap import App
from engine.entrypoints.cli import app as cli_app
from engine.entrypoints.cli import main
from tests.integration.helpers import advance_to_payment_ordered

runner = CliRunner()
ERROR = re.compile(r"错误（[A-Z_]+）：")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
UNCHECKED_TABLES = {"audit_log", "sessions"}
"""Written by a refusal on purpose (the audit log records refused attempts)."""
UNCHECKED_COLUMNS = {("users", "failed_logins"), ("users", "locked_until")}
"""A refused sign-in counts towards the lock-out on purpose."""


def _commands() -> list[tuple[tuple[str, ...], Any]]:
    found: list[tuple[tuple[str, ...], Any]] = []

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, (*path, name))
        else:
            found.append((path, cmd))

    walk(typer.main.get_command(cli_app), ())
    return found


COMMANDS = _commands()

nasty = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["[/]", "[bold]x", "\x1b[31m红", "\x00", "某\udcb3", "\u202e", "A" * 400, "", "-1", "0"]
    ),
)
numbers = st.one_of(
    st.integers(-3, 5).map(str), st.integers(2**62, 2**80).map(str), st.sampled_from(["x", "1.5"])
)


def _pools(ref: str, doc: int, tmp: Path) -> dict[str, st.SearchStrategy[str]]:
    exists = tmp / "exists.txt"
    exists.write_text("已有文件", encoding="utf-8")
    (tmp / "gbk.csv").write_bytes("被投诉单位,地址\n某公司,定城镇\n".encode("gbk"))
    (tmp / "random.bin").write_bytes(bytes(range(256)) * 4)
    (tmp / "empty.csv").write_bytes(b"")
    (tmp / "dir").mkdir(exist_ok=True)
    inputs = st.sampled_from(
        [str(tmp / n) for n in ("gbk.csv", "random.bin", "empty.csv", "dir", "missing.csv")]
    )
    outputs = st.sampled_from(
        [str(tmp / "out.docx"), str(exists), str(tmp / "nodir" / "x.pdf"), "-", str(tmp / "dir")]
    )
    users = st.sampled_from(["wang", "li", "chen", "admin", "zhou", "system", "nobody"])
    dates = st.sampled_from(["2026-03-02", "2026-13-40", "2026-03-02T09:30", "明天"])
    return {
        "case_ref": st.one_of(st.just(ref), st.just("WA2026-9999"), nasty),
        "trigger": st.one_of(
            st.sampled_from(["record_payment", "accept", "close", "payment_deadline_passed"]),
            nasty,
        ),
        "procedure": st.one_of(st.sampled_from(["wage_arrears", "fund_audit"]), nasty),
        "document_id": st.one_of(st.just(str(doc)), numbers),
        "delivery_id": numbers,
        "token_id": numbers,
        "year": st.one_of(st.sampled_from(["2026", "1900", "9999"]), numbers),
        "file": inputs,
        "output": outputs,
        "o": outputs,
        "diagram": st.one_of(st.just("wage_arrears"), nasty),
        "anchors": st.one_of(outputs, inputs),
        "name": st.one_of(users, nasty),
        "user": st.one_of(users, nasty),
        "inspector": st.one_of(users, nasty),
        "inspectors": st.one_of(users, nasty),
        "role": st.one_of(st.sampled_from(["inspector", "admin", "head", "system"]), nasty),
        "set": st.one_of(st.sampled_from(["amount=1", "paid_on=2026-03-20", "x"]), nasty),
        "payload": st.one_of(st.sampled_from(['{"amount": "1"}', "{", "[]", "null"]), nasty),
        "data": st.one_of(st.sampled_from(['{"claimed": "1"}', "{", "1"]), nasty),
        "on": dates,
        "consent_on": dates,
        "start": dates,
        "from": dates,
        "to": dates,
        "method": st.one_of(st.sampled_from(["direct", "posting", "mail"]), nasty),
        "status": st.one_of(st.sampled_from(["pending", "dead"]), nasty),
        "county": st.one_of(st.sampled_from(["dingan", "shuangpai"]), nasty),
        "host": st.sampled_from(["127.0.0.1", "0.0.0.0", "::1"]),
    }


NUMERIC = re.compile(r"page|limit|port|workers|interval|hour|batch|within|version|document$")


def _value(draw: st.DrawFn, name: str, pools: dict[str, st.SearchStrategy[str]]) -> str:
    key = name.lstrip("-").replace("-", "_")
    if key in pools:
        return draw(pools[key])
    if NUMERIC.search(key):
        return draw(numbers)
    return draw(nasty)


@st.composite
def invocation(draw: st.DrawFn, pools: dict[str, st.SearchStrategy[str]]) -> list[str]:
    path, cmd = draw(st.sampled_from(COMMANDS))
    args: list[str] = [*path]
    for p in cmd.params:
        if type(p).__name__.endswith("Argument"):
            count = 1 if p.nargs == 1 else draw(st.integers(1, 2))
            args.extend(_value(draw, p.name, pools) for _ in range(count))
            continue
        if not p.required and not draw(st.booleans()):
            continue
        flag = p.opts[0]
        if getattr(p, "is_flag", False):
            args.append(draw(st.sampled_from([*p.opts, *p.secondary_opts])))
        else:
            args.extend([flag, _value(draw, p.name or flag, pools)])
    return args


def _main(argv: list[str]) -> tuple[int, str, str]:
    """`caseflow ARGV` as the installed command runs it (`main()`: click's usage errors in
    Chinese too), in this process; an exception escaping it fails the test."""
    saved = sys.argv
    with runner.isolation() as (out, err, _):
        sys.argv = ["caseflow", *argv]
        try:
            main()
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        finally:
            sys.argv = saved
            sys.stdout.flush()
            sys.stderr.flush()
        return (
            code,
            out.getvalue().decode(errors="replace"),
            err.getvalue().decode(errors="replace"),
        )


def _refusal(out: str, err: str, as_json: bool) -> bool:
    """A Chinese message with a stable code: on stderr, or as JSON's error object."""
    if ERROR.search(err):
        return True
    if not as_json:
        return False
    try:
        error = json.loads(out)["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return bool(re.fullmatch(r"[A-Z_]+", error["code"]) and CHINESE.search(error["message"]))


def _snapshot(app: App) -> str:
    digest = hashlib.sha256()
    with app.db.connect() as conn:
        for table in METADATA.sorted_tables:
            if table.name in UNCHECKED_TABLES:
                continue
            columns = [c for c in table.c if (table.name, c.name) not in UNCHECKED_COLUMNS]
            rows = conn.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
            digest.update(repr((table.name, rows)).encode())
    return digest.hexdigest()


@pytest.fixture
def stubbed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """What would block (the server, the worker's loop) or run for minutes (the demo story)
    returns at once; everything before it — the options' checks — runs."""
    import uvicorn

    import engine.entrypoints.cli.demo as demo
    import engine.entrypoints.worker as worker

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    monkeypatch.setattr(worker, "run_worker", lambda *a, **k: None)
    monkeypatch.setattr(demo, "run_demo", lambda *a, **k: None)
    monkeypatch.setattr(demo, "demo_passwords", lambda app: [])
    yield


def test_every_command_walked_has_options_or_arguments_to_fuzz() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"open", "fire", "record-service", "user add", "notice render", "serve"} <= names
    assert len(COMMANDS) >= 45


@pytest.mark.slow
def test_every_command_and_option_answers_with_a_code_never_a_traceback(
    staffed: App, db_url: str, clock: Any, tmp_path: Path, stubbed: None
) -> None:
    case = advance_to_payment_ordered(staffed, clock)
    [doc] = staffed.queries.get_case(case.ref).documents
    pools = _pools(case.ref, doc.id, tmp_path)
    actors = st.sampled_from(["wang", "chen", "admin", "zhou", "sun", "system", "nobody", "\x00"])
    seen: set[str] = set()

    @settings(
        max_examples=250,
        derandomize=True,  # the same inputs every run: CI never fails on a new draw
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(invocation(pools), actors)
    def run(args: list[str], actor: str) -> None:
        argv = ["--db", db_url, "--as", actor, *args]
        seen.add(args[0])
        before = _snapshot(staffed)
        code, out, err = _main(argv)
        # `verify` exits 1 when it finds something (a file that is not an anchor file).
        assert code in ((0, 1, 2) if args[0] == "verify" else (0, 2)), (argv, code, out, err)
        assert "Traceback" not in out + err, (argv, out, err)
        if code == 2:
            assert _refusal(out, err, "--json" in args), (argv, out, err)
            assert _snapshot(staffed) == before, argv

    run()
    assert len(seen) >= 25, seen  # the draw reached most commands
    assert staffed.integrity.verify().broken == []
