"""Word documents of every declared template, each from its own docxtpl template: A4 with
the HTML's margins, an East-Asian font on every run, every paragraph of the issued HTML as
editable text (read back with python-docx), the signature block with the seal's position."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx.shared import Mm
from lxml import etree

from engine.adapters.notices import date_zh
from tests.unit.notices._support import (
    INJECTION,
    docx_document,
    docx_text,
    golden_input,
    html_blocks,
    registry_templates,
    squash,
    stem,
)
from tests.unit.notices.conftest import Rendered

TEMPLATES = registry_templates()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_every_run_has_an_east_asian_font(template: str, rendered: Rendered) -> None:
    with zipfile.ZipFile(io.BytesIO(rendered.docx(template))) as z:
        parts = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
        runs = 0
        for name in parts:
            root = etree.fromstring(z.read(name))
            for run in root.iter(f"{W}r"):
                runs += 1
                fonts = run.find(f"{W}rPr/{W}rFonts")
                assert fonts is not None and fonts.get(f"{W}eastAsia"), f"{name}: run w/o font"
    assert runs > 10


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_docx_has_every_paragraph_as_text(template: str, rendered: Rendered) -> None:
    text = docx_text(rendered.docx(template))
    missing = [b for b in html_blocks(rendered.html(template)) if b not in text]
    assert missing == []


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_docx_page_and_properties(template: str, rendered: Rendered) -> None:
    data = golden_input(template)
    doc = docx_document(rendered.docx(template))
    section = doc.sections[0]
    for actual, mm in [
        (section.page_width, 210),
        (section.page_height, 297),
        (section.left_margin, 28),
        (section.top_margin, 37),
    ]:
        assert actual is not None and abs(actual - Mm(mm)) < Mm(0.1)
    assert doc.core_properties.author == data["bureau"]["name"]
    assert data["number"] in doc.core_properties.title
    party = doc.tables[0]
    assert party.cell(0, 1).text == data["party"]["name"]
    assert party.cell(1, 1).text == data["party"]["uscc"]
    for column, mm in zip(party.columns, (40, 116), strict=True):
        assert column.width is not None and abs(column.width - Mm(mm)) < Mm(0.1)
    body = [p for p in doc.paragraphs if p.paragraph_format.first_line_indent]
    assert body, "body paragraphs are indented"
    for p in body:
        ind = p._p.pPr.find(f"{W}ind")
        assert ind is not None and ind.get(f"{W}firstLineChars") == "200"


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_each_notice_has_its_word_template(template: str, rendered: Rendered) -> None:
    """One docxtpl template per notice (templates/notices/docx/), filled from the frozen data:
    bureau, title and 文号 as the data has them; the signature block — the seal's position,
    the bureau, the date in the county's style — in one table row Word never splits."""
    data = golden_input(template)
    path = rendered.docx_renderer.template_path(template)
    assert path.name == f"{stem(template)}.docx"
    doc = docx_document(rendered.docx(template))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == [data["bureau"]["name"], data["title"], data["number"]]
    [signature] = [t for t in doc.tables if "（盖章处）" in t.rows[0].cells[1].text]
    cell = signature.rows[0].cells[1].text
    assert data["bureau"]["name"] in cell and date_zh(data["issued_on"]) in cell
    assert signature.rows[0]._tr.trPr.find(f"{W}cantSplit") is not None
    assert "{{" not in docx_text(rendered.docx(template)).replace(squash(INJECTION), "")


def test_the_transfer_letter_has_its_receipt_in_word(rendered: Rendered) -> None:
    text = docx_text(rendered.docx("criminal_transfer.html.j2"))
    assert "涉嫌犯罪案件移送书回执" in text and "（接受移送机关盖章处）" in text
    assert "接收人（签名）" in text
