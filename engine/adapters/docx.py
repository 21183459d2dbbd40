"""Word (.docx) of an issued notice, for the office to edit in Word or WPS, from its docxtpl
template (templates/notices/docx/<stem>.docx, made by make_templates.py and editable by the
office: fonts, margins, letterhead, the seal's position).

The template is rendered with the document's frozen data (bureau, title, 文号, party, date
style …) and, for the text, with the paragraphs of the issued HTML — the legal document,
whose SHA-256 the case history records — so the Word file says what was issued even after a
notice template changes. Rendering is sandboxed and strict (a missing value is an error) and
autoescaped: text typed by users goes into the XML as text, never as markup.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import html as lxml_html

from engine.adapters.notices import date_zh, templates_dir

_SPACE = re.compile(r"\s+")
_SKIP = ("signature", "slip-sign", "seal-place")
_OWN_LINES = ("addressee", "officers", "footer")


def docx_templates_dir() -> Path:
    return Path(os.environ.get("CASEFLOW_DOCX_TEMPLATES", str(templates_dir() / "docx")))


def _text(el: Any) -> str:
    return _SPACE.sub(" ", el.text_content()).strip()


def _classes(el: Any) -> set[str]:
    return set(str(el.get("class") or "").split())


def _inside(el: Any, names: tuple[str, ...]) -> bool:
    node = el
    while node is not None:
        if _classes(node) & set(names):
            return True
        node = node.getparent()
    return False


def _rows(table: Any) -> list[tuple[str, str]]:
    out = []
    for tr in table.iter("tr"):
        cells = [c for c in tr if c.tag in ("th", "td")]
        if len(cells) == 2:
            out.append((_text(cells[0]), _text(cells[1])))
    return out


def word_parts(html: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """What the Word template fills in besides the frozen data: the party table, the
    addressee, the body paragraphs, the officers, the footer and a slip (回执) as issued."""
    root = lxml_html.document_fromstring(html)
    main = root.find(".//main")
    if main is None:
        raise ValueError("not an issued notice: no <main>")
    slip = main.find(".//section[@class='slip']")
    tables = [t for t in main.iter("table") if slip is None or t not in slip.iter("table")]
    parts: dict[str, Any] = {
        "party": _rows(tables[0]) if tables else [],
        "addressee": "",
        "body": [],
        "officers": "",
        "footer": "",
        "date": date_zh(data["issued_on"], data["bureau"].get("date_style", "arabic")),
        "slip": None,
    }
    for el in main.iter("p", "h2", "h3"):
        if slip is not None and el in slip.iter():
            continue
        if el.getparent() is not None and el.getparent().tag == "header":
            continue
        if _inside(el, _SKIP) or any(t in tables for t in el.iterancestors("table")):
            continue
        own = _classes(el) & set(_OWN_LINES)
        if own:
            parts[own.pop()] = _text(el)
        elif _text(el):
            parts["body"].append(_text(el))
    if slip is not None:
        sign = slip.find(".//*[@class='slip-sign']")
        signer = sign.find(".//p[@class='signer']") if sign is not None else None
        parts["slip"] = {
            "title": _text(slip.find("h2")) if slip.find("h2") is not None else "",
            "addressee": next((_text(p) for p in slip.iter("p") if "addressee" in _classes(p)), ""),
            "body": [
                _text(p)
                for p in slip.iter("p")
                if not _classes(p) & {"addressee", "signer", "date"} and not _inside(p, _SKIP)
            ],
            "rows": [(k, v or "") for k, v in _rows(slip.find(".//table"))]
            if slip.find(".//table") is not None
            else [],
            "signer": _text(signer) if signer is not None else "",
        }
    return parts


class DocxTemplateRenderer:
    """Renders an issued notice's Word template (docxtpl) to .docx bytes."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or docx_templates_dir()
        self.env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=True)

    def template_path(self, template: str) -> Path:
        path = self.directory / f"{template.removesuffix('.html.j2')}.docx"
        if not path.is_file():
            raise FileNotFoundError(f"no Word template for {template}: {path}")
        return path

    def docx(self, html: str, template: str, data: Mapping[str, Any]) -> bytes:
        from docxtpl import DocxTemplate  # python-docx and docxtpl: loaded on first use

        tpl = DocxTemplate(str(self.template_path(template)))
        context = {**data, "word": word_parts(html, data)}
        tpl.render(context, jinja_env=self.env, autoescape=True)
        _metadata(tpl.docx, data)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()


def _metadata(doc: Any, data: Mapping[str, Any]) -> None:
    props = doc.core_properties
    props.title = f"{data['title']}（{data['number']}）"
    props.author = props.last_modified_by = data["bureau"]["name"]
    props.keywords = data["number"]
    props.comments = "由 caseflow 根据存档文书生成，可编辑；以存档文书为准。"
    props.created = props.modified = datetime.fromisoformat(data["issued_on"])
