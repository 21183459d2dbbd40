"""Every web asset is served from the application itself (county intranets have no
internet): vendored files match their recorded checksums, no page loads anything from
elsewhere, and no page carries inline script (the CSP forbids it)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

WEB = Path(__file__).resolve().parents[3] / "engine" / "entrypoints" / "web"


def test_vendored_assets_match_their_checksums() -> None:
    vendor = WEB / "static" / "vendor"
    listed = tomllib.loads((vendor / "VENDOR.toml").read_text("utf-8"))["asset"]
    assert listed
    for asset in listed:
        digest = hashlib.sha256((vendor / asset["file"]).read_bytes()).hexdigest()
        assert digest == asset["sha256"], asset["file"]


def test_templates_load_nothing_from_outside_and_have_no_inline_script() -> None:
    for template in (WEB / "templates").rglob("*.html"):
        text = template.read_text("utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), template
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert not re.search(r"\son[a-z]+=", text), template  # no inline event handlers
        assert "style=" not in text, template


def test_every_static_reference_exists() -> None:
    for template in (WEB / "templates").rglob("*.html"):
        for ref in re.findall(r'"/static/([^"?]+)"', template.read_text("utf-8")):
            assert (WEB / "static" / ref).is_file(), (template, ref)
