"""The CLI prints stored text literally: our own emphasis is styled parts, never markup in a
string (where a party named 「[/]」 would be parsed, or crash the page for everyone)."""

from __future__ import annotations

import re
from pathlib import Path

from engine.entrypoints.cli._common import SafeConsole, printable, styled

ROOT = Path(__file__).resolve().parents[2]
MARKUP = re.compile(r"\[/?(?:bold|green|red|dim|yellow|cyan|italic|blue|magenta)[^\]]*\]")


def test_no_markup_in_the_cli_sources() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("engine/entrypoints/cli", "engine/entrypoints/demo")
        for path in sorted((ROOT / folder).glob("*.py"))
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if MARKUP.search(line) and "SafeConsole" not in line and '"""' not in line
    ]
    assert found == []


def test_stored_text_is_printed_as_it_is_with_controls_made_visible() -> None:
    console = SafeConsole(record=True, width=200)
    console.print("当事人：某[/]公司[bold]:smile:\x1b[31m红\u202e")
    console.print(styled(("✓", "green"), " 名称 [red]不是样式[/]"))
    text = console.export_text()
    assert "某[/]公司[bold]:smile:\\u001b[31m红\\u202e" in text
    assert "✓ 名称 [red]不是样式[/]" in text
    assert printable("第一行\n\t第二行") == "第一行\n\t第二行"
