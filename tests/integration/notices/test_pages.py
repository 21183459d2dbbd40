"""Every declared template's PDF read page by page (pdftotext -f N -l N): no page holds only
the signature block — bureau, date and seal — (GB/T 9704-2012 7.3.5: the signature stays on
the page that carries the end of the text), and no page shows a login name or a placeholder."""

from __future__ import annotations

import re
import subprocess

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from engine.adapters.notices import date_zh
from tests.unit.notices._support import (
    PAGE_FOOTER,
    docx_document,
    golden_input,
    need_tool,
    registry_templates,
    squash,
    stem,
)
from tests.unit.notices.conftest import Rendered
from tests.unit.notices.test_fit_to_send import PLACEHOLDERS, _printed, logins

TEMPLATES = registry_templates()


def pdf_pages(pdf: bytes) -> list[str]:
    tool = need_tool("pdftotext")
    info = subprocess.run(
        [need_tool("pdfinfo"), "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    count = int(re.search(rb"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    pages = []
    for n in range(1, count + 1):
        out = subprocess.run(
            [tool, "-enc", "UTF-8", "-f", str(n), "-l", str(n), "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
            timeout=60,
        )
        pages.append(PAGE_FOOTER.sub("", squash(out.stdout.decode("utf-8"))))
    return pages


def _signature_only(page: str, data: dict[str, object]) -> bool:
    bureau = data["bureau"]
    assert isinstance(bureau, dict)
    rest = page
    for part in (bureau["name"], date_zh(str(data["issued_on"])), "（盖章处）"):
        rest = rest.replace(str(part), "")
    rest = re.sub(r"本[^。]{1,12}一式[^。]*。|本送达回证附卷存档。", "", rest)
    return rest == ""


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_no_page_holds_only_the_seal(template: str, rendered: Rendered) -> None:
    data = golden_input(template)
    pages = pdf_pages(rendered.pdf(template))
    for number, page in enumerate(pages, start=1):
        assert page, f"page {number} is empty"
        assert not _signature_only(page, data), f"page {number} holds only the signature"
        printed = sorted(login for login in logins(data) if _printed(page, login))
        assert printed == [], f"page {number}: login names {printed}"
        assert PLACEHOLDERS.search(page) is None, f"page {number}: {PLACEHOLDERS.search(page)}"


def test_the_check_finds_a_page_with_only_the_seal() -> None:
    data: dict[str, object] = {
        "bureau": {"name": "定安县人力资源和社会保障局"},
        "issued_on": "2026-03-13",
    }
    alone = "（盖章处）定安县人力资源和社会保障局2026年3月13日"
    alone += "本决定书一式两份，一份送达当事人，一份附卷。"
    assert _signature_only(alone, data)
    assert not _signature_only("视为送达。" + alone, data)


def _region(pdf: bytes, page: int, x: int, width: int) -> str:
    """The text pdftotext reads in the bottom margin (35 mm ≈ 99 pt of the A4 page's 842)
    of ``page``, between ``x`` and ``x + width`` points."""
    out = subprocess.run(
        [
            *(need_tool("pdftotext"), "-enc", "UTF-8", "-f", str(page), "-l", str(page)),
            *("-x", str(x), "-y", "743", "-W", str(width), "-H", "99", "-", "-"),
        ],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return squash(out.stdout.decode("utf-8"))


def test_page_numbers_sit_as_gb_t_9704_sets_them(rendered: Rendered) -> None:
    """GB/T 9704-2012 7.5: "— N —" under the type area, odd pages to the right and even
    pages to the left; in the Word template the odd and even footers likewise."""
    template = "penalty_decision.html.j2"  # three pages
    pdf = rendered.pdf(template)
    assert len(pdf_pages(pdf)) >= 2
    for page in (1, 2):
        right, left = _region(pdf, page, 298, 297), _region(pdf, page, 0, 297)
        number = f"—{page}—"
        assert (number in right, number in left) == (page % 2 == 1, page % 2 == 0), (right, left)
    doc = docx_document(rendered.docx(template))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT)
    assert all("PAGE" in p._p.xml and p.text.startswith("— ") for p in (odd, even))
    assert {r.font.name for p in (odd, even) for r in p.runs} == {"宋体"}  # 4号 Song, digits too
    assert {r.font.size.pt for p in (odd, even) for r in p.runs} == {14}
    assert round(section.footer_distance.mm) == 22  # the line's top 7 mm under the type area
