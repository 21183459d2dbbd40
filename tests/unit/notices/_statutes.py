"""The statute texts in shared/law, parsed to articles with their paragraphs (款) and items
(项), and a checker that finds every article a document cites and looks it up there."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cn2an

REPO = Path(__file__).resolve().parents[3]
LAW_ENV = "CASEFLOW_LAW_DIR"
NUM = "[零一二三四五六七八九十百千]+"
_ARTICLE_LINE = re.compile(rf"^第({NUM})条\s")
_ITEM_LINE = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_CITATION = re.compile(
    rf"《(?P<law>[^》]+)》|(?P<same>该条例|该法|本条例|本法)"
    rf"|第(?P<art>{NUM})条(?:第(?P<para>{NUM})款)?(?:第(?P<item>{NUM})项)?"
    rf"|第(?P<bpara>{NUM})款(?:第(?P<bitem>{NUM})项)?"
)


def law_dir() -> Path:
    return Path(os.environ.get(LAW_ENV, str(REPO.parent / "shared" / "law")))


def _n(chinese: str) -> int:
    return int(cn2an.cn2an(chinese, "normal"))


@dataclass
class Article:
    items: list[int]
    """Per paragraph (款), how many items (项) it has."""


def parse_law(text: str) -> dict[int, Article]:
    articles: dict[int, Article] = {}
    current: Article | None = None
    body = text.split("<!-- INFO END -->", 1)[-1]
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            current = None
        elif m := _ARTICLE_LINE.match(line):
            current = articles.setdefault(_n(m.group(1)), Article([0]))
        elif current is not None and _ITEM_LINE.match(line):
            current.items[-1] += 1
        elif current is not None:
            current.items.append(0)
    return articles


def load_laws(directory: Path) -> dict[str, dict[int, Article]]:
    return {f.stem.split("(")[0]: parse_law(f.read_text("utf-8")) for f in directory.glob("*.md")}


def law_key(name: str) -> str:
    return name.removeprefix("中华人民共和国")


@dataclass(frozen=True)
class Citation:
    law: str
    text: str
    article: int
    paragraph: int | None
    item: int | None


def citations(text: str) -> Iterator[Citation]:
    """Every article cited, with the statute it belongs to: the last one named before it
    (`该条例`, `本法` refer back to it; a bare 第X款 to the last article cited)."""
    law = ""
    article = 0
    for m in _CITATION.finditer(text):
        if m.group("law"):
            law = law_key(m.group("law"))
        elif m.group("same"):
            continue
        elif m.group("art"):
            article = _n(m.group("art"))
            para, item = m.group("para"), m.group("item")
            yield Citation(
                law, m.group(0), article, _n(para) if para else None, _n(item) if item else None
            )
        elif article:
            bitem = m.group("bitem")
            yield Citation(
                law, m.group(0), article, _n(m.group("bpara")), _n(bitem) if bitem else None
            )


def problem(c: Citation, laws: dict[str, dict[int, Article]]) -> str | None:
    """Why a citation does not resolve in shared/law, or None when it does."""
    if not c.law:
        return f"{c.text}: no statute named before it"
    if c.law not in laws:
        return f"《{c.law}》 {c.text}: statute not in shared/law (cite only what can be checked)"
    art = laws[c.law].get(c.article)
    if art is None:
        return f"《{c.law}》 {c.text}: no article {c.article}"
    para = c.paragraph or 1
    if para > len(art.items):
        return f"《{c.law}》 {c.text}: article {c.article} has {len(art.items)} paragraph(s)"
    if c.item is not None and c.item > art.items[para - 1]:
        return f"《{c.law}》 {c.text}: paragraph {para} has {art.items[para - 1]} item(s)"
    return None
