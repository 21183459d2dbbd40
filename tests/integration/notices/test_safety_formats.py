"""Text users type stays literal in every format: in Word and in PDF, as in HTML."""

from __future__ import annotations

import pytest
from markupsafe import escape

from tests.unit.notices._support import (
    INJECTION,
    docx_text,
    pdf_text,
    registry_templates,
    squash,
    stem,
)
from tests.unit.notices.conftest import Rendered

TEMPLATES = registry_templates()


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_typed_text_is_literal_in_docx(template: str, rendered: Rendered) -> None:
    assert squash(INJECTION) in docx_text(rendered.docx(template, hostile=True))


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_typed_text_is_literal_in_pdf(template: str, rendered: Rendered) -> None:
    assert squash(INJECTION) in pdf_text(rendered.pdf(template, hostile=True))


def test_the_party_name_appears_inertly_everywhere(rendered: Rendered) -> None:
    """The party name with template code and a script, in each format of each template."""
    for template in TEMPLATES:
        html = rendered.html(template, hostile=True)
        count = html.count(str(escape(INJECTION)))
        assert count >= 2, f"{template}: party name escaped in the table and the text"
        assert docx_text(rendered.docx(template, hostile=True)).count(squash(INJECTION)) >= 2
