"""The notices rendered to Word and PDF (python-docx, WeasyPrint, pdftotext): the same
renderers as the unit tests of the templates."""

from __future__ import annotations

from tests.unit.notices.conftest import docx_renderer, pdf_renderer, rendered, renderer

__all__ = ["docx_renderer", "pdf_renderer", "rendered", "renderer"]
