"""Documents per second for each format, on the golden inputs of every declared template.

    .venv/bin/python bench/documents.py [--rounds N] [--libreoffice]

HTML: the Jinja template rendered from its stored data (what issuing a document costs).
Word: docxtpl, the notice's Word template filled from the stored HTML and data. PDF:
WeasyPrint from the stored HTML, fonts embedded as subsets (the worker's job); the first PDF
of a process also pays for importing WeasyPrint and loading fonts, shown apart.
--libreoffice also times LibreOffice headless converting the same HTML to PDF (one process
per document, as a worker would run it), for comparison.
Targets: at least 200 HTML documents a second; a one-page PDF in under a second.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from engine.adapters.docx import DocxTemplateRenderer
from engine.adapters.notices import JinjaNoticeRenderer
from engine.adapters.pdf import WeasyPrintPdfRenderer
from engine.domain.procedure import documents_of
from workflows.registry import PROCEDURES

GOLDEN = ROOT / "tests" / "golden" / "notices"


def inputs() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for template in sorted({d.template for p in PROCEDURES for d in documents_of(p)}):
        path = GOLDEN / f"{template.removesuffix('.html.j2')}.json"
        if path.exists():
            out[template] = json.loads(path.read_text("utf-8"))
    return out


def timed(fn: Callable[[], object], rounds: int) -> float:
    """Best of `rounds` runs, seconds."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def pages(pdf: bytes) -> int:
    tool = shutil.which("pdfinfo")
    if tool is None:
        return len(re.findall(rb"/Type\s*/Page\b", pdf))
    info = subprocess.run([tool, "-"], input=pdf, capture_output=True, check=True).stdout
    match = re.search(rb"Pages:\s+(\d+)", info)
    return int(match.group(1)) if match else 0


def libreoffice(html: str, rounds: int) -> float | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "notice.html"
        source.write_text(html, "utf-8")
        profile = Path(tmp) / "profile"
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf:writer_web_pdf_Export",
            "--outdir",
            tmp,
            str(source),
        ]
        subprocess.run(cmd, check=True, capture_output=True)  # first run creates the profile
        return timed(lambda: subprocess.run(cmd, check=True, capture_output=True), rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--libreoffice", action="store_true")
    args = parser.parse_args()
    data = inputs()
    if not data:
        sys.exit("no golden inputs found")
    renderer, docx, pdf = JinjaNoticeRenderer(), DocxTemplateRenderer(), WeasyPrintPdfRenderer()

    start = time.perf_counter()
    html = {t: renderer.render(t, d) for t, d in data.items()}
    first_html = time.perf_counter() - start
    start = time.perf_counter()
    first_pdf = pdf.pdf(next(iter(html.values())))
    cold_pdf = time.perf_counter() - start

    from weasyprint.text.ffi import harfbuzz_subset

    print(
        f"{len(data)} templates; {pdf.name}; font subsetting by "
        f"{'HarfBuzz' if harfbuzz_subset else 'fontTools (slow: install libharfbuzz-subset0)'}"
    )
    print(
        f"first render in this process: HTML {first_html:.3f} s for all (template "
        f"compilation), PDF {cold_pdf:.2f} s ({pages(first_pdf)} page(s), WeasyPrint import "
        "and fonts)"
    )
    print()
    print(f"{'template':28} {'HTML/s':>8} {'Word/s':>8} {'PDF s':>7} {'pages':>5} {'s/page':>7}")
    totals = {"html": 0.0, "docx": 0.0, "pdf": 0.0}
    one_page: list[float] = []
    for template, values in data.items():
        page_html = html[template]
        t_html = timed(partial(renderer.render, template, values), args.rounds * 20)
        t_docx = timed(partial(docx.docx, page_html, template, values), args.rounds)
        t_pdf = timed(partial(pdf.pdf, page_html), args.rounds)
        n = pages(pdf.pdf(page_html))
        if n == 1:
            one_page.append(t_pdf)
        totals["html"] += t_html
        totals["docx"] += t_docx
        totals["pdf"] += t_pdf
        print(
            f"{template.removesuffix('.html.j2'):28} {1 / t_html:8.0f} {1 / t_docx:8.1f} "
            f"{t_pdf:7.3f} {n:5d} {t_pdf / max(n, 1):7.3f}"
        )
    count = len(data)
    print()
    print(f"HTML  {count / totals['html']:8.0f} documents/s   (target ≥ 200)")
    print(f"Word  {count / totals['docx']:8.1f} documents/s")
    print(f"PDF   {count / totals['pdf']:8.2f} documents/s")
    if one_page:
        print(f"one-page PDF: {min(one_page):.3f} s   (target < 1 s)")
    if args.libreoffice:
        sample = html[next(iter(data))]
        lo = libreoffice(sample, max(2, args.rounds // 2))
        if lo is None:
            print("LibreOffice: soffice not installed (Debian: libreoffice-writer-nogui)")
        else:
            mine = timed(lambda: pdf.pdf(sample), args.rounds)
            print(
                f"LibreOffice headless, same HTML → PDF: {lo:.2f} s per document "
                f"(WeasyPrint {mine:.3f} s)"
            )


if __name__ == "__main__":
    main()
