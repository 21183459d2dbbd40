"""Renderers shared by the notice tests (WeasyPrint's font setup is paid once)."""

from __future__ import annotations

from typing import Any

import pytest

from engine.adapters.docx import DocxTemplateRenderer
from engine.adapters.notices import JinjaNoticeRenderer
from engine.adapters.pdf import WeasyPrintPdfRenderer
from tests.unit.notices._support import golden_input, injected


@pytest.fixture(scope="session")
def renderer() -> JinjaNoticeRenderer:
    return JinjaNoticeRenderer()


@pytest.fixture(scope="session")
def pdf_renderer() -> WeasyPrintPdfRenderer:
    return WeasyPrintPdfRenderer()


@pytest.fixture(scope="session")
def docx_renderer() -> DocxTemplateRenderer:
    return DocxTemplateRenderer()


class Rendered:
    """Each template rendered from its golden input (and from the injected input), in every
    format, once per session."""

    def __init__(
        self, renderer: JinjaNoticeRenderer, pdf: WeasyPrintPdfRenderer, docx: DocxTemplateRenderer
    ) -> None:
        self.renderer, self.pdf_renderer, self.docx_renderer = renderer, pdf, docx
        self._cache: dict[tuple[str, str, bool], Any] = {}

    def data(self, template: str, hostile: bool = False) -> dict[str, Any]:
        data = golden_input(template)
        return injected(data) if hostile else data

    def html(self, template: str, hostile: bool = False) -> str:
        key = ("html", template, hostile)
        if key not in self._cache:
            self._cache[key] = self.renderer.render(template, self.data(template, hostile))
        out: str = self._cache[key]
        return out

    def pdf(self, template: str, hostile: bool = False) -> bytes:
        key = ("pdf", template, hostile)
        if key not in self._cache:
            self._cache[key] = self.pdf_renderer.pdf(self.html(template, hostile))
        out: bytes = self._cache[key]
        return out

    def docx(self, template: str, hostile: bool = False) -> bytes:
        key = ("docx", template, hostile)
        if key not in self._cache:
            self._cache[key] = self.docx_renderer.docx(
                self.html(template, hostile), template, self.data(template, hostile)
            )
        out: bytes = self._cache[key]
        return out


@pytest.fixture(scope="session")
def rendered(
    renderer: JinjaNoticeRenderer,
    pdf_renderer: WeasyPrintPdfRenderer,
    docx_renderer: DocxTemplateRenderer,
) -> Rendered:
    return Rendered(renderer, pdf_renderer, docx_renderer)
