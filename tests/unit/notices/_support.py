"""What the notice tests share: the templates the registry declares, their golden inputs,
and text extraction from HTML, Word and PDF."""

from __future__ import annotations

import copy
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from lxml import html as lxml_html

from engine.domain.delivery import DELIVERY_RECEIPT
from engine.domain.procedure import documents_of
from workflows.registry import PROCEDURES

REPO = Path(__file__).resolve().parents[3]
GOLDEN_DIR = REPO / "tests" / "golden" / "notices"
UPDATE_ENV = "CASEFLOW_UPDATE_GOLDEN"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

INJECTION = "{{ 7*7 }}<script>alert(1)</script>{% if true %}if{% endif %}&amp;"
"""Template code, markup and an entity, as a user might type them into any text field."""

_TEXT_BLOCKS = "//h1 | //p | //th | //td | //div[contains(@class,'issuer')]" + (
    " | //div[contains(@class,'number')]"
)
_WS = re.compile(r"\s+")
PAGE_FOOTER = re.compile(r"—\d+—")
"""The page number (GB/T 9704-2012 7.5: "— 1 —"), whitespace squashed."""


def registry_templates() -> list[str]:
    """Every template a procedure in the registry names, each once, and the 送达回证 the
    engine issues for any served document."""
    declared = {d.template for p in PROCEDURES for d in documents_of(p)}
    return sorted(declared | {DELIVERY_RECEIPT.template})


def stem(template: str) -> str:
    return template.removesuffix(".html.j2")


def golden_input(template: str) -> dict[str, Any]:
    path = GOLDEN_DIR / f"{stem(template)}.json"
    if not path.exists():
        pytest.fail(
            f"template {template} has no golden input {path.relative_to(REPO)}: add one "
            "(see templates/notices/README.md, 'Golden tests')"
        )
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def squash(text: str) -> str:
    return _WS.sub("", text)


def html_blocks(html: str) -> list[str]:
    """The text of each paragraph, heading and table cell, as a reader sees it."""
    root = lxml_html.document_fromstring(html)
    out = []
    for el in root.xpath(_TEXT_BLOCKS):
        if el.xpath("ancestor-or-self::*[contains(@class,'seal-place')]"):
            continue
        text = squash(el.text_content())
        if text:
            out.append(text)
    return out


def html_text(html: str) -> str:
    body = lxml_html.document_fromstring(html).find("body")
    assert body is not None
    return squash(body.text_content())


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} (Debian poppler-utils) is not installed"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def pdf_text(pdf: bytes) -> str:
    """pdftotext's reading of a PDF, whitespace and page footers removed."""
    tool = need_tool("pdftotext")
    out = subprocess.run(
        [tool, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    return PAGE_FOOTER.sub("", squash(out.stdout.decode("utf-8")))


def docx_document(content: bytes) -> Any:
    return Document(io.BytesIO(content))


def docx_text(content: bytes) -> str:
    doc = docx_document(content)
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return squash("".join(parts))


def key_paths(data: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every key of every mapping in `data`, containers included."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from key_paths(value, (*prefix, key))


def without(data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    target = out
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return out


_NOT_TYPED = re.compile(r"-?\d+(\.\d+)?|\d{4}-\d{2}-\d{2}")


def _is_free_text(value: str) -> bool:
    """Amounts, counts and ISO dates are validated on input; anything else was typed."""
    return _NOT_TYPED.fullmatch(value) is None


def injected(data: dict[str, Any]) -> dict[str, Any]:
    """The data with the injection string in every field a user types: the party's name
    and address, the reason, and every free-text value of the payload and the case data."""
    out = copy.deepcopy(data)
    out["party"]["name"] = INJECTION
    out["party"]["address"] = INJECTION
    out["reason"] = INJECTION

    def fill(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: v if k.startswith("_") else fill(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fill(v) for v in node]
        if isinstance(node, str) and _is_free_text(node):
            return INJECTION
        return node

    out["payload"] = fill(out["payload"])
    out["data"] = fill(out["data"])
    # a user the payload names by login (the hearing's host) is looked up by what was typed
    if out.get("people"):
        out["people"] = {INJECTION: {"name": INJECTION, "title": INJECTION}}
    for officer in out.get("officers", []):
        officer["name"] = INJECTION
    return out
