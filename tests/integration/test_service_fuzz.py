"""Every public method of every service the entry points call, found by walking the
application's services (a method added later is fuzzed without anyone listing it), called
with arguments drawn from its type hints — real ids, names and payloads mixed with control
characters, NUL, lone surrogates, markup, very long text and numbers past any column's
range. Only the engine's typed errors (`CaseflowError`, with a stable code) may come out,
and a refusal leaves every table as it was (the sign-in audit log and the sessions aside:
a refused attempt is recorded there on purpose). On SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import enum
import inspect
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.bootstrap import App
from engine.domain.errors import CaseflowError
from engine.domain.subject import Subject
from engine.domain.users import User
from engine.domain.visibility import Scope
from engine.service.auth import Client, CurrentSession
from engine.service.documents import DocumentService
from engine.service.integrity import IntegrityService
from engine.service.ledger import Ledger
from tests.integration.helpers import advance_to_payment_ordered
from tests.integration.test_cli_fuzz_all import _snapshot

SERVICES = (
    "users", "cases", "queries", "board", "sweeper", "calendar", "notifications", "auth",
    "inbox", "departments", "tokens", "ledger", "intake", "delivery", "documents", "integrity",
)  # fmt: skip
INTERNAL = {
    ("cases", "fire_in"),  # a step inside another command's unit of work (the sweep's)
    ("tokens", "once"),  # runs the API's own command callable under an idempotency key
}
"""Methods that take the engine's own internals, not input from anyone."""

nasty_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["[/]", "\x1b[31m红", "\x00", "某\udcb3", "\u202e", "A" * 400, "", " ", "wang\x00"]
    ),
)
nasty_int = st.one_of(st.integers(-3, 50), st.integers(2**62, 2**80), st.just(-(2**70)))


def _methods() -> list[tuple[str, str, Callable[..., Any]]]:
    hints = typing.get_type_hints(App)
    classes: dict[str, type] = {n: hints[n] for n in SERVICES if n in hints}
    classes.update(documents=DocumentService, integrity=IntegrityService)
    found: list[tuple[str, str, Callable[..., Any]]] = []
    for service, cls in classes.items():
        for name, fn in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_") and (service, name) not in INTERNAL:
                found.append((service, name, fn))
    return found


METHODS = _methods()


class Values:
    """Strategies for an argument, from its name and its type hint."""

    def __init__(self, app: App, ref: str, doc: int, session: CurrentSession, tmp: Path) -> None:
        self.app, self.ref, self.doc, self.session, self.tmp = app, ref, doc, session, tmp
        self.users = [app.users.get(n) for n in ("wang", "chen", "admin", "zhou", "sun")]
        names = ["wang", "li", "chen", "admin", "zhou", "sun", "system", "nobody"]
        self.by_name: dict[str, st.SearchStrategy[Any]] = {
            "ref": st.one_of(st.just(ref), st.just("WA2026-9999"), nasty_text),
            "case_ref": st.one_of(st.just(ref), nasty_text),
            "trigger": st.one_of(
                st.sampled_from(["record_payment", "accept", "close", "payment_deadline_passed"]),
                nasty_text,
            ),
            "procedure": st.one_of(st.sampled_from(["wage_arrears", "fund_audit"]), nasty_text),
            "actor": st.one_of(st.sampled_from(names), nasty_text, st.none()),
            "name": st.one_of(st.sampled_from(names), nasty_text),
            "user": st.one_of(st.sampled_from(names), nasty_text),
            "recipient": st.one_of(st.sampled_from(names), nasty_text, st.none()),
            "role": st.one_of(
                st.sampled_from(["inspector", "admin", "head", "system"]), nasty_text
            ),
            "document_id": st.one_of(st.just(doc), nasty_int),
            "fmt": st.one_of(st.sampled_from(["html", "docx", "pdf"]), nasty_text),
            "inspectors": st.lists(st.one_of(st.sampled_from(names), nasty_text), max_size=3),
            "path": st.sampled_from([tmp / "anchors.txt", tmp / "nodir" / "a.txt", tmp]),
            "anchors": st.sampled_from([None, tmp / "anchors.txt", tmp / "missing.txt", tmp]),
            "password": st.one_of(st.just("Caseflow-2026!"), nasty_text, st.none()),
            "content": st.one_of(
                st.binary(max_size=64),
                st.just("被投诉单位,地址\n某公司,定城镇\n".encode("gbk")),
                st.just(b"\xff\xfe\x00garbage"),
            ),
        }

    def for_param(self, name: str, hint: Any) -> st.SearchStrategy[Any]:
        plain = {a for a in (typing.get_args(hint) or (hint,)) if a is not type(None)}
        if name in self.by_name and plain <= {str, int, bytes, Path} | {Sequence[str]}:
            optional = type(None) in typing.get_args(hint)
            return self.by_name[name].filter(lambda v: optional or v is not None)
        return self.for_type(hint, depth=0)

    def for_type(self, hint: Any, depth: int) -> st.SearchStrategy[Any]:
        origin = typing.get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            return st.one_of(*(self.for_type(a, depth) for a in typing.get_args(hint)))
        if hint is type(None):
            return st.none()
        if hint is str:
            return nasty_text
        if hint is bool:
            return st.booleans()
        if hint is int:
            return nasty_int
        if hint is bytes:
            return self.by_name["content"]
        if hint is date:
            return st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31))
        if hint is datetime:
            return st.datetimes()
        if hint is Path:
            return self.by_name["path"]
        if hint is User:
            return st.sampled_from(self.users)
        if hint is Ledger:
            return st.just(self.app.ledger.ledger(date(2026, 1, 1), date(2026, 12, 31)))
        if hint is CurrentSession:
            return st.just(self.session)
        if hint is Subject:
            return st.builds(_subject, nasty_text, nasty_text, nasty_text)
        if hint is Scope:
            return st.sampled_from(self.users).map(self.app.queries.scope_of)
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return st.sampled_from(list(hint))
        if origin in (dict, Mapping) or hint in (dict, Mapping):
            value = st.one_of(nasty_text, nasty_int.map(str), st.booleans(), st.none())
            return st.dictionaries(
                st.one_of(st.sampled_from(["amount", "paid_on", "summary", "reason"]), nasty_text),
                value,
                max_size=4,
            )
        args = typing.get_args(hint)
        if origin is tuple and args and args[-1] is not Ellipsis:
            return st.tuples(*(self.for_type(a, depth + 1) for a in args))
        if origin is frozenset and depth < 2:
            return st.frozensets(self.for_type(args[0], depth + 1), max_size=3)
        if origin in (list, Sequence, tuple) and depth < 2:
            return st.lists(self.for_type((args or (str,))[0], depth + 1), max_size=3)
        if origin is typing.Literal:
            return st.sampled_from(typing.get_args(hint))
        if dataclasses.is_dataclass(hint) and isinstance(hint, type) and depth < 2:
            fields = typing.get_type_hints(hint)
            kwargs = {
                f.name: self.for_type(fields[f.name], depth + 1)
                for f in dataclasses.fields(hint)
                if f.init and f.name in fields
            }
            return st.builds(_constructed(hint), **kwargs)
        if hint is Any:
            return st.one_of(nasty_text, nasty_int, st.none())
        raise LookupError(f"no strategy for {hint!r}")


REFUSED = object()
"""An argument whose own constructor refused its values with a typed error (a query's
filters are checked as it is built): the call is not made."""


def _constructed(cls: type) -> Callable[..., Any]:
    def build(**kwargs: Any) -> Any:
        try:
            return cls(**kwargs)
        except CaseflowError:
            return REFUSED

    return build


def _subject(name: str, address: str, uscc: str) -> Subject:
    """A party as the edge builds it; what `Subject.create` refuses (typed) is kept as given,
    for the service to refuse."""
    try:
        return Subject.create(name, address, uscc)
    except CaseflowError:
        return Subject(name, address, uscc)


@st.composite
def call(draw: st.DrawFn, values: Values) -> tuple[str, str, Callable[..., Any], dict[str, Any]]:
    service, name, fn = draw(st.sampled_from(METHODS))
    hints = typing.get_type_hints(fn)
    kwargs: dict[str, Any] = {}
    for p in list(inspect.signature(fn).parameters.values())[1:]:
        if p.default is not inspect.Parameter.empty and draw(st.booleans()):
            continue  # left at its default
        kwargs[p.name] = draw(values.for_param(p.name, hints.get(p.name, Any)))
    return service, name, fn, kwargs


def test_every_method_walked_has_a_strategy_for_each_argument(
    staffed: App, clock: Any, tmp_path: Path
) -> None:
    values = _values(staffed, clock, tmp_path)
    assert len(METHODS) >= 60
    for _service, _name, fn in METHODS:
        hints = typing.get_type_hints(fn)
        for p in list(inspect.signature(fn).parameters.values())[1:]:
            values.for_param(p.name, hints.get(p.name, Any))  # raises if none


def _values(app: App, clock: Any, tmp: Path) -> Values:
    case = advance_to_payment_ordered(app, clock)
    [doc] = app.queries.get_case(case.ref).documents
    app.users.add_user("fuzzer", "inspector", "县劳动保障监察大队", "测试", actor="admin",
                       password="Caseflow-2026!")  # fmt: skip
    signed = app.auth.sign_in("fuzzer", "Caseflow-2026!", Client())
    session = app.auth.current(signed.token, Client())
    assert session is not None
    return Values(app, case.ref, doc.id, session, tmp)


@pytest.mark.slow
def test_every_service_call_answers_with_a_typed_error_or_a_result(
    staffed: App, clock: Any, tmp_path: Path
) -> None:
    values = _values(staffed, clock, tmp_path)
    reached: set[str] = set()

    @settings(
        max_examples=600,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(call(values))
    def run(drawn: tuple[str, str, Callable[..., Any], dict[str, Any]]) -> None:
        service, name, fn, kwargs = drawn
        if any(v is REFUSED for v in kwargs.values()):
            return
        reached.add(f"{service}.{name}")
        before = _snapshot(staffed)
        try:
            fn(getattr(staffed, service), **kwargs)
        except CaseflowError as exc:
            assert exc.code and exc.code.isupper(), (service, name, kwargs, exc)
            assert _snapshot(staffed) == before, (service, name, kwargs, exc.code)
        except Exception as exc:
            raise AssertionError(f"{service}.{name}({kwargs!r}): {exc!r}") from exc

    run()
    assert len(reached) >= 45, sorted(reached)
    assert staffed.integrity.verify().broken == []
