"""docs/procedures/ is generated from the procedure declarations and kept current."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.entrypoints import procedure_docs
from workflows.registry import PROCEDURES

DOCS = procedure_docs.DOCS_DIR
GENERATED = procedure_docs.generated(PROCEDURES)
STALE = f"is out of date: run `{procedure_docs.COMMAND}` and commit docs/procedures/"


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_committed_page_is_current(name: str) -> None:
    path = DOCS / name
    assert path.exists(), f"docs/procedures/{name} is missing: run `{procedure_docs.COMMAND}`"
    assert path.read_text(encoding="utf-8") == GENERATED[name], f"docs/procedures/{name} {STALE}"


def test_no_page_of_a_procedure_that_is_gone() -> None:
    assert {p.name for p in DOCS.glob("*.md")} == set(GENERATED), STALE


def test_generation_is_deterministic() -> None:
    assert procedure_docs.generated(PROCEDURES) == GENERATED


def test_a_page_states_what_the_law_reader_checks() -> None:
    page = GENERATED["wage_arrears.md"]
    assert page.startswith(procedure_docs.HEADER)
    assert "```mermaid\nstateDiagram-v2\n" in page
    assert '    state "投诉已登记" as registered' in page
    assert "    findings --> payment_ordered : 责令限期支付" in page
    assert (
        "| 受理决定期限（`intake_decision`） | 投诉已登记 | 收到投诉日期；没有时自进入该状态之日"
        " | 5个工作日 |" in page
    )
    assert "| 案件调查期限（`investigation`） | 已立案 | 立案日期 | 60个工作日 |" in page
    assert "《关于实施〈劳动保障监察条例〉若干规定》第十八条" in page
    assert "- 可由：监察员、科（队）长" in page  # Role.label, in the enum's order
    assert "由本县配置（`payment_order_period`）" in page
    assert "| `ground` | 文本 | 是 | 不予受理的理由 |" in page
    assert "| 劳动保障监察限期改正指令书 | 监察文书 | 前缀＋“令” |" in page


def test_the_command_writes_the_pages(tmp_path: Path) -> None:
    (tmp_path / "gone.md").write_text("旧页面", encoding="utf-8")
    assert procedure_docs.main([str(tmp_path)]) == 0
    written = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.md")}
    assert written == GENERATED
