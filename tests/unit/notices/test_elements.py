"""What every document must carry, checked on each declared template's golden rendering:
issuing bureau, 文号, the party's name, address and 统一社会信用代码, the date, a place for
the seal, legal basis by article (each article looked up in shared/law), and for a notice
addressed to someone the remedy rights. Template sources may not switch escaping off or
paper over a missing value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from engine.adapters.notices import TEMPLATES_DIR, date_zh
from tests.unit.notices._statutes import Article, citations, law_dir, load_laws, problem
from tests.unit.notices._support import IN_CI, golden_input, html_text, registry_templates, stem
from tests.unit.notices.conftest import Rendered

TEMPLATES = registry_templates()
Laws = dict[str, dict[int, Article]]


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_required_elements(template: str, rendered: Rendered) -> None:
    data = golden_input(template)
    html = rendered.html(template)
    text = html_text(html)
    root = lxml_html.document_fromstring(html)
    assert text.count(data["bureau"]["name"]) >= 2, "bureau in the header and the signature"
    assert root.xpath("string(//h1)") == data["title"]
    assert root.xpath("string(//*[@class='number'])") == data["number"]
    for value in data["party"].values():
        assert value in text
    signature = root.xpath("//*[contains(@class,'signature')]")
    assert len(signature) == 1, "one signature block"
    assert date_zh(data["issued_on"]) in signature[0].text_content()
    assert signature[0].xpath(".//*[contains(@class,'seal-place')]"), "a place for the seal"
    assert re.search(r"《[^》]+》第[一二三四五六七八九十百]+条", text), "legal basis by article"


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_notices_state_remedy_rights(template: str, rendered: Rendered) -> None:
    """A decision or order addressed to someone (kind "notice") states the remedies; a
    procedural or internal document does not pretend to be appealable."""
    data = golden_input(template)
    root = lxml_html.document_fromstring(rendered.html(template))
    kind = root.find("body").get("data-kind")
    assert kind in {"notice", "procedural", "internal"}
    if kind != "notice":
        assert not root.xpath("//section[@class='remedies']"), f"{kind} document states remedies"
        return
    remedies = root.xpath("string(//section[@class='remedies'])")
    assert data["bureau"]["reconsideration_body"] in remedies
    assert "六十日内" in remedies and "行政复议" in remedies and "行政诉讼" in remedies


@pytest.fixture(scope="module")
def laws() -> Laws:
    directory = law_dir()
    if not directory.is_dir():
        message = f"statute texts not found at {directory} (set CASEFLOW_LAW_DIR)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return load_laws(directory)


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_every_cited_article_exists_in_the_statute(
    template: str, rendered: Rendered, laws: Laws
) -> None:
    found = list(citations(html_text(rendered.html(template))))
    assert found
    problems = [p for c in found if (p := problem(c, laws))]
    assert problems == []


def test_the_citation_checker_catches_wrong_articles(laws: Laws) -> None:
    text = (
        "《劳动保障监察条例》第二十六条第一项、第二十六条第四项；该条例第九十条；"
        "《中华人民共和国行政复议法》第二十三条第一款第三项和第三款；《劳动法》第五十条"
    )
    problems = [problem(c, laws) for c in citations(text)]
    assert problems[0] is None
    assert problems[1] and "item" in problems[1]
    assert problems[2] and "no article 90" in problems[2]
    assert problems[3] is None
    assert problems[4] and "paragraph" in problems[4]
    assert problems[5] and "not in shared/law" in problems[5]


_FORBIDDEN = {
    r"\|\s*safe\b": "|safe switches escaping off",
    r"autoescape\s+false": "autoescape false",
    r"\bMarkup\b": "Markup bypasses escaping",
    r"\|\s*(default|d)\b": "a default hides a missing value",
    r"\bis\s+(not\s+)?(defined|undefined)\b": "testing for a missing value hides it",
}


@pytest.mark.parametrize("path", sorted(TEMPLATES_DIR.glob("*.j2")), ids=lambda p: p.name)
def test_template_source_keeps_escaping_and_strictness(path: Path) -> None:
    source = path.read_text("utf-8")
    found = [why for pattern, why in _FORBIDDEN.items() if re.search(pattern, source)]
    assert found == []
