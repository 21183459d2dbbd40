"""A legal document never has a silent blank, and text users type can never become markup
or template code: StrictUndefined, autoescaping and the sandbox, proven on every declared
template (Word and PDF: tests/integration/notices/test_safety_formats.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError, UndefinedError
from markupsafe import escape

from engine.adapters.notices import JinjaNoticeRenderer
from tests.unit.notices._support import (
    INJECTION,
    golden_input,
    key_paths,
    registry_templates,
    stem,
    without,
)
from tests.unit.notices.conftest import Rendered

TEMPLATES = registry_templates()


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_a_missing_value_is_an_error_never_a_blank(
    template: str, renderer: JinjaNoticeRenderer
) -> None:
    """Take away each value of the golden input in turn: the render either fails, or (the
    template does not use that value) gives exactly the same document. It never renders a
    document with something left out."""
    data = golden_input(template)
    full = renderer.render(template, data)
    failed = []
    for path in key_paths(data):
        try:
            out = renderer.render(template, without(data, path))
        except UndefinedError:
            failed.append(path)
            continue
        assert out == full, f"without {'.'.join(path)} the document changed but did not fail"
    assert ("party",) in failed and ("number",) in failed


def test_an_empty_context_is_refused(renderer: JinjaNoticeRenderer) -> None:
    for template in TEMPLATES:
        with pytest.raises(UndefinedError):
            renderer.render(template, {})


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ party.__class__.__init__.__globals__ }}",
        "{{ party.update({'name': 'x'}) }}",
        "{{ case.assignees.append('x') }}",
    ],
)
def test_the_sandbox_refuses_unsafe_access(source: str, tmp_path: Path) -> None:
    (tmp_path / "evil.html.j2").write_text(source, "utf-8")
    evil = JinjaNoticeRenderer(tmp_path)
    with pytest.raises(SecurityError):
        evil.render("evil.html.j2", {"party": {"name": "x"}, "case": {"assignees": []}})


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_typed_text_is_escaped_in_html(template: str, rendered: Rendered) -> None:
    html = rendered.html(template, hostile=True)
    assert str(escape(INJECTION)) in html
    rest = html.replace(str(escape(INJECTION)), "")
    assert "<script>" not in html and "{{" not in rest and "{%" not in rest
