"""PDF from a stored notice's HTML with WeasyPrint (fonts embedded as subsets).

Chosen over LibreOffice headless by measurement (bench/documents.py): about 0.16 s for a
one-page notice with WenQuanYi Zen Hei, against about 1.3 s per LibreOffice conversion. The
speed needs HarfBuzz's subsetter (Debian: libharfbuzz-subset0); without it WeasyPrint falls
back to fontTools and takes about 1.8 s. The stored HTML carries its own stylesheet, so a
PDF is a function of the issued document alone. Nothing is fetched while rendering: only
`data:` URLs are allowed, and any other resource stops the rendering.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any


class PdfRenderError(RuntimeError):
    """WeasyPrint could not render the HTML (or it asked for an external resource)."""


class WeasyPrintPdfRenderer:
    """Renders HTML to PDF bytes. WeasyPrint is imported on first use: it takes a moment,
    and commands that never make a PDF should not pay for it."""

    @cached_property
    def _weasyprint(self) -> Any:
        import weasyprint

        return weasyprint

    @cached_property
    def _fonts(self) -> Any:
        from weasyprint.text.fonts import FontConfiguration

        return FontConfiguration()

    @property
    def name(self) -> str:
        return f"WeasyPrint {self._weasyprint.__version__}"

    def pdf(self, html: str) -> bytes:
        wp = self._weasyprint
        from weasyprint.urls import FatalURLFetchingError, URLFetcher

        fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
        try:
            document = wp.HTML(string=html, base_url=None, url_fetcher=fetcher)
            content = document.write_pdf(font_config=self._fonts)
        except (Exception, FatalURLFetchingError) as exc:  # the latter is a BaseException
            raise PdfRenderError(f"{type(exc).__name__}: {exc}") from exc
        if not isinstance(content, bytes):
            raise PdfRenderError("WeasyPrint returned no PDF")
        return content
