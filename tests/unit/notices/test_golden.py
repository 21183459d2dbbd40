"""Golden tests: every template a procedure in the registry names, rendered from its golden
input `tests/golden/notices/<stem>.json`, equals `<stem>.html` byte for byte. A declared
template without a golden input fails. After a deliberate change to a template, regenerate
the expected HTML and review the diff:

    CASEFLOW_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/notices/test_golden.py
"""

from __future__ import annotations

import json
import os

import pytest

from engine.adapters.notices import JinjaNoticeRenderer
from tests.unit.notices._support import (
    GOLDEN_DIR,
    REPO,
    UPDATE_ENV,
    golden_input,
    registry_templates,
    stem,
)

TEMPLATES = registry_templates()
WAGE_ARREARS_TITLE = "农民工工资拖欠案件查处"


def test_the_registry_declares_documents() -> None:
    assert TEMPLATES, "no procedure in workflows.registry declares a document"


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_template_renders_its_golden_html(template: str, renderer: JinjaNoticeRenderer) -> None:
    html = renderer.render(template, golden_input(template))
    expected = GOLDEN_DIR / f"{stem(template)}.html"
    if os.environ.get(UPDATE_ENV) == "1":
        expected.write_bytes(html.encode("utf-8"))
    if not expected.exists():
        pytest.fail(
            f"no expected HTML {expected.relative_to(REPO)}: run "
            f"{UPDATE_ENV}=1 .venv/bin/pytest tests/unit/notices/test_golden.py and review it"
        )
    assert html == expected.read_bytes().decode("utf-8"), (
        f"{template} no longer renders its golden HTML; if the change is deliberate, "
        f"regenerate with {UPDATE_ENV}=1 and review the diff"
    )


def test_every_golden_input_belongs_to_a_declared_template() -> None:
    declared = {stem(t) for t in TEMPLATES}
    orphans = sorted(p.name for p in GOLDEN_DIR.glob("*.json") if p.stem not in declared)
    assert orphans == [], f"golden inputs of no declared template: {orphans}"


def test_wage_arrears_golden_inputs_are_the_dingan_worked_example() -> None:
    """Seed 000, boundary table item 15: 72 workers claimed 1.2 million yuan, the contractor
    admitted 1.05 million, 150,000 were disputed and went to arbitration."""
    checked = 0
    for path in sorted(GOLDEN_DIR.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        findings = data["data"].get("findings")
        if data["case"]["procedure"] != WAGE_ARREARS_TITLE or not findings:
            continue
        checked += 1
        assert findings["workers"] == 72, path.name
        assert findings["claimed"] == "1200000.00"
        assert findings["admitted"] == "1050000.00"
        assert findings["disputed"] == "150000.00"
    assert checked >= 2
