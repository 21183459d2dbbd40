"""Writes the Word templates of the notices (docxtpl, one ``<stem>.docx`` per notice) that
engine/adapters/docx.py renders. An office may open any of them in Word or WPS and change
the layout — fonts, margins, the letterhead, where the seal goes — keeping the ``{{ … }}``
and ``{%p … %}`` tags; this script only makes the first version. Run from the repository
root after adding a notice template:

    .venv/bin/python templates/notices/docx/make_templates.py

Layout after GB/T 9704-2012: A4, margins 37/26/35/28 mm, 3号仿宋 body with fixed 28.9 pt
lines (22 lines a page), 2号小标宋 title, page numbers ("— 1 —", odd pages right, even
left); the party table; the body paragraphs (two-character first-line indent); the
officers; the signature block (the seal's position, the bureau, the date) in one row that
never splits and is kept with the text before it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]

LATIN = "Times New Roman"
BODY = "仿宋"
TITLE = "方正小标宋简体"
HEADING = "黑体"
SONG = "宋体"
GREY = RGBColor(0x90, 0x90, 0x90)

# Notices with a part of their own after the text (the police's 回执 of a transfer letter).
WITH_SLIP = frozenset({"criminal_transfer"})


def font(run: Any, east_asia: str = BODY, size: float = 16, bold: bool = False) -> Any:
    run.font.name = LATIN
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
    run.font.size = Pt(size)
    run.font.bold = bold
    return run


def paragraph(
    container: Any,
    text: str = "",
    *,
    east_asia: str = BODY,
    size: float = 16,
    bold: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    keep_with_next: bool = False,
    grey: bool = False,
) -> Any:
    p = container.add_paragraph()
    p.alignment = align
    f = p.paragraph_format
    f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    f.line_spacing = Pt(28.9 if size >= 15 else size * 1.5)
    f.space_before = f.space_after = Pt(0)
    f.keep_with_next = keep_with_next
    if indent:
        f.first_line_indent = Pt(size * 2)
        ind = p._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), "200")
    if text:
        run = font(p.add_run(text), east_asia, size, bold)
        if grey:
            run.font.color.rgb = GREY
    return p


def page_setup(doc: Any) -> None:
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        # The footer's one 14 pt line ends 22 mm above the page's edge: its top 7 mm below
        # the type area, which ends 35 mm above it (GB/T 9704-2012 7.5).
        section.footer_distance = Mm(22)
        # GB/T 9704-2012 7.5: "— 1 —" in 4号 Song figures, odd pages to the right and even
        # pages to the left, one character (14 pt) in from the type area's edge.
        page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    doc.settings.odd_and_even_pages_header_footer = True
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.name = LATIN
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY)
    doc.styles["Normal"].font.size = Pt(16)


def song(run: Any) -> Any:
    """A run of the page number: every script in 4号 Song (the figures and the dashes too,
    which would otherwise take the Latin face)."""
    font(run, SONG, 14)
    run.font.name = SONG
    return run


def page_number(footer: Any, align: Any) -> None:
    footer.alignment = align
    side = "right_indent" if align == WD_ALIGN_PARAGRAPH.RIGHT else "left_indent"
    setattr(footer.paragraph_format, side, Pt(14))
    song(footer.add_run("— "))
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    footer._p.append(field)
    field.append(song(footer.add_run("1"))._element)
    song(footer.add_run(" —"))


def cant_split(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def no_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def party_table(doc: Any, rows: str) -> None:
    """Two columns, one row per entry of ``rows`` (a list of (label, value) in the data)."""
    table = doc.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, mm in zip(table.columns, (40, 116), strict=True):
        column.width = Mm(mm)
        for cell in column.cells:
            cell.width = Mm(mm)
    first, middle, last = table.rows
    paragraph(first.cells[0], f"{{%tr for row in {rows} %}}", size=12)
    for cell, tag in zip(middle.cells, ("{{ row[0] }}", "{{ row[1] }}"), strict=True):
        p = cell.paragraphs[0]
        p.paragraph_format.line_spacing = Pt(21)
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(2)
        font(p.add_run(tag), BODY, 12)
    paragraph(last.cells[0], "{%tr endfor %}", size=12)
    for row in (first, last):
        for cell in row.cells:
            if len(cell.paragraphs) > 1 and not cell.paragraphs[0].text:
                cell._tc.remove(cell.paragraphs[0]._p)


def signature(doc: Any, signer: str, date: str, seal: str) -> None:
    """The seal's position over the bureau's name and the date, in one row that stays whole."""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cant_split(table.rows[0])
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(86)
    center = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].alignment = center
    font(right.paragraphs[0].add_run(seal), BODY, 9).font.color.rgb = GREY
    paragraph(right, signer, align=center, keep_with_next=True)
    paragraph(right, date, align=center)


def skeleton(doc: Any, stem: str) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    first = doc.paragraphs[0] if doc.paragraphs else paragraph(doc)
    first.alignment = center
    font(first.add_run("{{ bureau.name }}"), TITLE, 18, bold=True)
    paragraph(doc, "{{ title }}", east_asia=TITLE, size=22, bold=True, align=center)
    paragraph(doc, "{{ number }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    party_table(doc, "word.party")
    paragraph(doc, "{%p if word.addressee %}", size=16)
    paragraph(doc, "{{ word.addressee }}", align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph(doc, "{%p endif %}", size=16)
    # the last paragraph of the text is kept with the officers and the signature
    paragraph(doc, "{%p for text in word.body %}", size=16)
    paragraph(doc, "{%p if loop.last %}", size=16)
    paragraph(doc, "{{ text }}", indent=True, keep_with_next=True)
    paragraph(doc, "{%p else %}", size=16)
    paragraph(doc, "{{ text }}", indent=True)
    paragraph(doc, "{%p endif %}", size=16)
    paragraph(doc, "{%p endfor %}", size=16)
    paragraph(doc, "{%p if word.officers %}", size=16)
    paragraph(doc, "{{ word.officers }}", align=WD_ALIGN_PARAGRAPH.LEFT, keep_with_next=True)
    paragraph(doc, "{%p endif %}", size=16)
    signature(doc, "{{ bureau.name }}", "{{ word.date }}", "（盖章处）")
    paragraph(doc, "{%p if word.footer %}", size=10.5)
    paragraph(doc, "{{ word.footer }}", size=10.5, align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph(doc, "{%p endif %}", size=10.5)
    if stem in WITH_SLIP:
        brk = paragraph(doc)
        brk.add_run().add_break(WD_BREAK.PAGE)
        font(brk.runs[0], BODY, 16)
        paragraph(doc, "{{ word.slip.title }}", east_asia=TITLE, size=18, bold=True, align=center)
        paragraph(doc, "{{ word.slip.addressee }}", align=WD_ALIGN_PARAGRAPH.LEFT)
        paragraph(doc, "{%p for text in word.slip.body %}", size=16)
        paragraph(doc, "{{ text }}", indent=True)
        paragraph(doc, "{%p endfor %}", size=16)
        party_table(doc, "word.slip.rows")
        signature(doc, "{{ word.slip.signer }}", "年　　月　　日", "（接受移送机关盖章处）")


def stems() -> list[str]:
    sys.path[0] = str(ROOT)
    from tests.unit.notices._support import registry_templates, stem

    return [stem(t) for t in registry_templates()]


def main() -> None:
    for name in stems():
        doc = Document()
        page_setup(doc)
        skeleton(doc, name)
        target = HERE / f"{name}.docx"
        doc.save(str(target))
        print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
