"""Page images of notices for the README: each rendered from its golden input
(tests/golden/notices/) as PDF (WeasyPrint) and as Word (.docx, converted to PDF by
LibreOffice headless — Debian libreoffice-writer-nogui, needed only here), turned into PNG
pages by pdftoppm (poppler-utils) and set side by side. Run from the repository root:

    .venv/bin/python docs/notice_images.py
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # the repository, not this folder

from PIL import Image  # noqa: E402  (Pillow comes with WeasyPrint)

from engine.adapters.docx import DocxTemplateRenderer  # noqa: E402
from engine.adapters.notices import JinjaNoticeRenderer  # noqa: E402
from engine.adapters.pdf import WeasyPrintPdfRenderer  # noqa: E402

NOTICES = [
    "rectification_order",  # 劳动保障监察限期改正指令书
    "penalty_decision",  # 行政处罚决定书
    "delivery_receipt",  # 送达回证
    "criminal_transfer",  # 涉嫌犯罪案件移送书 and its 回执
    "arbitration_advice",
]
DPI = 72
GAP = 16


def pages(pdf: bytes) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "notice.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-png", str(source), str(Path(tmp) / "page")],
            check=True,
        )
        return [
            Image.open(io.BytesIO(p.read_bytes())).convert("RGB")
            for p in sorted(Path(tmp).glob("page-*.png"))
        ]


def side_by_side(images: list[Image.Image]) -> Image.Image:
    width = sum(i.width for i in images) + GAP * (len(images) + 1)
    height = max(i.height for i in images) + 2 * GAP
    sheet = Image.new("RGB", (width, height), (200, 200, 200))
    x = GAP
    for image in images:
        sheet.paste(image, (x, GAP))
        x += image.width + GAP
    return sheet


def word_as_pdf(docx: bytes) -> bytes:
    """The .docx as Word or WPS would lay it out, approximated by LibreOffice."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "notice.docx"
        source.write_bytes(docx)
        subprocess.run(
            ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (Path(tmp) / "notice.pdf").read_bytes()


def main() -> None:
    renderer, pdf, word = JinjaNoticeRenderer(), WeasyPrintPdfRenderer(), DocxTemplateRenderer()
    for stem in NOTICES:
        data = json.loads((ROOT / "tests/golden/notices" / f"{stem}.json").read_text("utf-8"))
        html = renderer.render(f"{stem}.html.j2", data)
        name = stem.replace("_", "-")
        target = ROOT / "docs" / f"notice-{name}.png"
        side_by_side(pages(pdf.pdf(html))).save(target, optimize=True)
        print(f"{target.relative_to(ROOT)}")
        target = ROOT / "docs" / f"notice-{name}-word.png"
        side_by_side(pages(word_as_pdf(word.docx(html, f"{stem}.html.j2", data)))).save(
            target, optimize=True
        )
        print(f"{target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
