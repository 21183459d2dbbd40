"""PDFs of every declared template: A4, fonts embedded, and the text a reader (or a search)
finds in them: the party, the 文号, the deadline dates, the amounts in capitals, and every
paragraph of the issued HTML."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import pytest

from engine.adapters.notices import amount_in_capitals, date_zh
from tests.unit.notices._support import (
    golden_input,
    html_blocks,
    html_text,
    need_tool,
    pdf_text,
    registry_templates,
    stem,
)
from tests.unit.notices.conftest import Rendered

TEMPLATES = registry_templates()


def _amounts(node: object) -> list[str]:
    if isinstance(node, dict):
        return [a for v in node.values() for a in _amounts(v)]
    if isinstance(node, list):
        return [a for v in node for a in _amounts(v)]
    if isinstance(node, str) and re.fullmatch(r"\d+\.\d{2}", node) and Decimal(node) > 0:
        return [node]
    return []


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_pdf_text_has_the_facts_that_matter(template: str, rendered: Rendered) -> None:
    data = golden_input(template)
    text = pdf_text(rendered.pdf(template))
    shown = html_text(rendered.html(template))
    assert data["party"]["name"] in text
    assert data["number"] in text
    assert date_zh(data["issued_on"]) in text
    for day in data.get("deadlines", {}).values():
        if date_zh(day) in shown:
            assert date_zh(day) in text
    for amount in _amounts(data["data"]):
        capitals = amount_in_capitals(amount)
        if capitals in shown:
            assert capitals in text


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_pdf_text_has_every_paragraph(template: str, rendered: Rendered) -> None:
    text = pdf_text(rendered.pdf(template))
    missing = [b for b in html_blocks(rendered.html(template)) if b not in text]
    assert missing == []


def test_rectification_order_pdf_states_order_deadline_and_amount(rendered: Rendered) -> None:
    text = pdf_text(rendered.pdf("rectification_order.html.j2"))
    assert "定安县某建筑劳务有限公司" in text
    assert "定人社监令〔2026〕1号" in text
    assert "于2026年3月20日前" in text
    assert "1,050,000.00元（大写：壹佰零伍万元整）" in text


def test_arbitration_advice_pdf_states_the_disputed_amount(rendered: Rendered) -> None:
    text = pdf_text(rendered.pdf("arbitration_advice.html.j2"))
    assert "定人社监仲告〔2026〕1号" in text
    assert "150,000.00元（大写：壹拾伍万元整）" in text


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_pdf_is_a4_with_embedded_fonts(template: str, rendered: Rendered) -> None:
    content = rendered.pdf(template)
    info = subprocess.run(
        [need_tool("pdfinfo"), "-"], input=content, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    fonts = subprocess.run(
        [need_tool("pdffonts"), "-"], input=content, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows, "the PDF uses fonts"
    for row in rows:
        emb = row.split()[-5]
        assert emb == "yes", f"font not embedded: {row}"
