"""Word (.docx) from a stored notice's HTML, for the office to edit in Word or WPS.

The stored HTML is the issued document, so the .docx is derived from it rather than from a
second template: template authors write HTML only. The converter knows the few elements
and classes `_base.html.j2` uses (see templates/notices/README.md); any other block becomes
a body paragraph, so nothing a template writes is lost. Every run gets an East-Asian font
(`w:eastAsia` in `w:rFonts`): without it Word shows Chinese in whatever font it guesses.
Text goes in as text (python-docx escapes it), never as markup.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import html as lxml_html

LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"

_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "header", "footer", "main", "article", "h1", "h2", "h3", "h4"}
    | {"h5", "h6", "table", "ul", "ol", "li", "blockquote"}
)
_CONTAINERS = frozenset({"div", "section", "header", "footer", "main", "article", "ul", "ol"})
_SKIPPED_CLASSES = frozenset({"seal-place"})
_SPACE = re.compile(r"\s+")
# w:pPr children that must follow w:pBdr (of those this module or python-docx can write).
_AFTER_PBDR = ("w:shd", "w:tabs", "w:snapToGrid", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr")


@dataclass(frozen=True)
class _Style:
    """How a paragraph looks; chosen from the element and its enclosing classes."""

    font: str = BODY_FONT
    size: float = 14
    bold: bool = False
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY
    indent_chars: int = 2
    space_before: float = 0
    right_indent_mm: float = 0
    border_top: bool = False


_BODY = _Style()
_BY_CLASS: dict[str, _Style] = {
    "issuer": _Style(HEADING_FONT, 18, align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0),
    "number": _Style(align=WD_ALIGN_PARAGRAPH.RIGHT, indent_chars=0, space_before=0),
    "addressee": _Style(indent_chars=0),
    "signer": _Style(align=WD_ALIGN_PARAGRAPH.RIGHT, indent_chars=0, right_indent_mm=10),
    "date": _Style(align=WD_ALIGN_PARAGRAPH.RIGHT, indent_chars=0, right_indent_mm=16),
    "footer": _Style(size=10.5, indent_chars=0, space_before=12, border_top=True),
}
_BY_TAG: dict[str, _Style] = {
    "h1": _Style(TITLE_FONT, 22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0),
    "h2": _Style(HEADING_FONT, 16, align=WD_ALIGN_PARAGRAPH.LEFT, indent_chars=0),
    "h3": _Style(HEADING_FONT, 14, align=WD_ALIGN_PARAGRAPH.LEFT, indent_chars=0),
}


def _classes(el: Any) -> set[str]:
    return set(str(el.get("class") or "").split())


def set_run_font(run: Any, east_asia: str, size: float | None = None, bold: bool = False) -> None:
    """Latin and East-Asian font of one run (python-docx sets only the Latin ones)."""
    run.font.name = LATIN_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
    if size is not None:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True


class HtmlToDocx:
    """Converts one stored notice (HTML text) to .docx bytes."""

    def docx(self, html: str) -> bytes:
        root = lxml_html.document_fromstring(html)
        doc = Document()
        _page_setup(doc)
        _default_fonts(doc)
        _metadata(doc, root)
        body = root.find(".//main")
        if body is None:
            body = root.find("body")
        _Writer(doc).blocks(body if body is not None else root, _BODY)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


class _Writer:
    def __init__(self, doc: Any) -> None:
        self.doc = doc

    def blocks(self, el: Any, style: _Style) -> None:
        if el.text and el.text.strip():
            self.paragraph([(el.text, False)], style)
        for child in el:
            if not isinstance(child.tag, str):
                continue
            self.block(child, style)
            if child.tail and child.tail.strip():
                self.paragraph([(child.tail, False)], style)

    def block(self, el: Any, inherited: _Style) -> None:
        classes = _classes(el)
        tag = el.tag.lower()
        if classes & _SKIPPED_CLASSES or tag in {"style", "script", "head", "title", "meta"}:
            return
        style = _BY_TAG.get(tag, inherited)
        for cls in classes:
            style = _BY_CLASS.get(cls, style)
        if "signature" in classes:
            # The blank lines above the signature are the place for the seal.
            self.paragraph([], _BODY)
            self.paragraph([], _BODY)
            self.blocks(el, style)
            return
        if tag == "table":
            self.table(el)
            return
        if tag in _CONTAINERS and any(
            isinstance(c.tag, str) and c.tag.lower() in _BLOCK_TAGS for c in el
        ):
            self.blocks(el, style)
            return
        self.paragraph(_inline(el), style)

    def paragraph(self, parts: list[tuple[str, bool]], style: _Style) -> Any:
        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        p.alignment = style.align
        fmt.space_before = Pt(style.space_before)
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.5
        if style.indent_chars:
            # Word reads firstLineChars ("首行缩进 2 字符", hundredths of a character); other
            # editors read firstLine, so both are written.
            fmt.first_line_indent = Pt(style.size * style.indent_chars)
            p._p.get_or_add_pPr().get_or_add_ind().set(
                qn("w:firstLineChars"), str(style.indent_chars * 100)
            )
        if style.right_indent_mm:
            fmt.right_indent = Mm(style.right_indent_mm)
        if style.border_top:
            _border_top(p)
        _add_runs(p, parts, style)
        return p

    def table(self, el: Any) -> None:
        rows = [r for r in el.iter("tr")]
        width = max((len([c for c in r if c.tag in ("th", "td")]) for r in rows), default=0)
        if not rows or width == 0:
            return
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell_style = replace(_BODY, size=12, indent_chars=0, align=WD_ALIGN_PARAGRAPH.LEFT)
        for r, row in enumerate(rows):
            cells = [c for c in row if c.tag in ("th", "td")]
            for c, cell in enumerate(cells):
                target = table.cell(r, c)
                p = target.paragraphs[0]
                p.alignment = cell_style.align
                _add_runs(p, _inline(cell), cell_style)
        if width == 2:
            table.autofit = False
            for column, mm in zip(table.columns, (40, 116), strict=True):
                column.width = Mm(mm)
                for cell in column.cells:
                    cell.width = Mm(mm)
        self.doc.add_paragraph()


def _inline(el: Any) -> list[tuple[str, bool]]:
    """The text of an element as (text, is_line_break) pieces, markup dropped."""
    parts: list[tuple[str, bool]] = []

    def walk(node: Any) -> None:
        if node.text:
            parts.append((node.text, False))
        for child in node:
            if isinstance(child.tag, str):
                if child.tag.lower() == "br":
                    parts.append(("", True))
                elif not (_classes(child) & _SKIPPED_CLASSES):
                    walk(child)
            if child.tail:
                parts.append((child.tail, False))

    walk(el)
    return parts


def _add_runs(p: Any, parts: list[tuple[str, bool]], style: _Style) -> None:
    text = "".join("\n" if brk else _SPACE.sub(" ", t) for t, brk in parts)
    lines = [line.strip() for line in text.split("\n")]
    for i, line in enumerate(lines):
        run = p.add_run(line)
        set_run_font(run, style.font, style.size, style.bold)
        if i < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _border_top(p: Any) -> None:
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"}.items():
        top.set(qn(key), value)
    borders.append(top)
    # Schema order: pBdr comes before shd, tabs, …, spacing, ind, jc in w:pPr.
    p._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)


def _page_setup(doc: Any) -> None:
    """A4 portrait with the margins of the HTML stylesheet, and page numbers."""
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(30)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for piece in ("第 ", "PAGE", " 页，共 ", "NUMPAGES", " 页"):
            if piece in {"PAGE", "NUMPAGES"}:
                _field(footer, piece)
            else:
                set_run_font(footer.add_run(piece), BODY_FONT, 10.5)


def _field(p: Any, instr: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instr)
    p._p.append(field)
    run = p.add_run("1")
    set_run_font(run, BODY_FONT, 10.5)
    field.append(run._element)


def _default_fonts(doc: Any) -> None:
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.name = LATIN_FONT
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    doc.styles["Normal"].font.size = Pt(14)


def _metadata(doc: Any, root: Any) -> None:
    props = doc.core_properties
    title = root.findtext(".//title")
    props.title = (title or "").strip()
    metas = {m.get("name"): m.get("content") or "" for m in root.iter("meta") if m.get("name")}
    props.author = metas.get("author", "")
    props.keywords = metas.get("keywords", "")
    props.last_modified_by = props.author
    props.comments = "由 caseflow 根据存档文书生成，可编辑；以存档文书为准。"
    created = metas.get("dcterms.created", "")
    if created:
        try:
            when = datetime.fromisoformat(created)
        except ValueError:
            return
        props.created = props.modified = when
