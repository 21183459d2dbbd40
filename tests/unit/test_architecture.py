"""The architecture of DESIGN.md, checked: what may import what, and how big a module or a
function may grow before it should be split."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

EXCEPTIONS: dict[str, str] = {
    "db/tables.py": "the declarative table models, one class per table with its indexes "
    "(the single schema Alembic's migrations are checked against)",
}
"""``path`` or ``path:function`` → why it may be larger (declarative tables only)."""


def _modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations/versions" not in str(p))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _offending(package: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    bad: dict[str, list[str]] = {}
    for path in _modules(package):
        hits = sorted(
            m for m in _imports(path) if any(m == f or m.startswith(f + ".") for f in forbidden)
        )
        if hits:
            bad[str(path.relative_to(ROOT))] = hits
    return bad


def test_the_domain_imports_no_service_database_or_procedure() -> None:
    assert _offending("engine/domain", ("engine.service", "db", "workflows", "sqlalchemy")) == {}


def test_workflows_import_no_service_or_database() -> None:
    assert (
        _offending("workflows", ("engine.service", "engine.entrypoints", "db", "sqlalchemy")) == {}
    )


def test_the_service_layer_imports_no_database_or_entry_point() -> None:
    assert _offending("engine/service", ("db", "engine.entrypoints", "sqlalchemy", "typer")) == {}


def test_no_service_takes_a_god_object() -> None:
    """Services are built on the small context; none takes another service's hub."""
    for path in _modules("engine/service"):
        text = path.read_text("utf-8")
        assert "CaseService" not in text, path


def _sizes() -> list[tuple[str, int, int]]:
    """(place, lines, limit) of every module and function in engine/, db/ and workflows/."""
    out = []
    for package in ("engine", "db", "workflows"):
        for path in _modules(package):
            rel = str(path.relative_to(ROOT))
            text = path.read_text("utf-8")
            out.append((rel, len(text.splitlines()), MAX_MODULE_LINES))
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    assert node.end_lineno is not None
                    length = node.end_lineno - node.lineno + 1
                    out.append((f"{rel}:{node.name}", length, MAX_FUNCTION_LINES))
    return out


def test_modules_and_functions_stay_small() -> None:
    sizes = _sizes()
    too_big = [
        f"{place} ({lines} lines, limit {limit})"
        for place, lines, limit in sizes
        if lines > limit and place not in EXCEPTIONS
    ]
    assert too_big == []
    within = {place for place, lines, limit in sizes if lines <= limit}
    stale = [p for p in EXCEPTIONS if p in within or p not in {s[0] for s in sizes}]
    assert stale == [], "these exceptions are no longer needed"
