"""Notices a bureau can send as they come out: on every declared template's golden
rendering, no login name, no placeholder, no internal caveat; the officers by full name with
their 执法证号 (劳动保障监察条例 art. 16, 行政处罚法 art. 55); approvers by full name and
title; complainants named on what goes to them; typed text completed as a sentence; the
penalty decision with what 行政处罚法 art. 59 requires; the advance notice's period from
receipt (art. 64). (Page by page in PDF: tests/integration/notices/test_pages.py.)"""

from __future__ import annotations

import re
from typing import Any

import pytest

from engine.adapters.notices import clause, sentence
from tests.shared import STAFF
from tests.unit.notices._support import golden_input, html_text, registry_templates, stem
from tests.unit.notices.conftest import Rendered

TEMPLATES = registry_templates()

PLACEHOLDERS = re.compile(
    r"你（单位）|（单位）|你（们）|（们）|XXX|xxx|××|某某|＿＿|__|\.\.\.\.|待填|待补|TODO|\{\{|\{%|None|null"
)
CAVEATS = ("默认值", "尚未核实", "待确认", "暂定值")


def logins(data: dict[str, Any]) -> set[str]:
    """Every login name the golden data holds or the staff uses."""
    found = {name for name, *_ in STAFF}
    found.update(data["case"]["assignees"])
    return found


def _printed(text: str, login: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(login)}(?![A-Za-z0-9])", text) is not None


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_no_login_name_placeholder_or_caveat(template: str, rendered: Rendered) -> None:
    data = golden_input(template)
    text = html_text(rendered.html(template))
    printed = sorted(login for login in logins(data) if _printed(text, login))
    assert printed == [], f"login names printed: {printed}"
    assert PLACEHOLDERS.search(text) is None, PLACEHOLDERS.search(text)
    assert [c for c in CAVEATS if c in text] == []


@pytest.mark.parametrize("template", TEMPLATES, ids=stem)
def test_officers_with_their_certificates(template: str, rendered: Rendered) -> None:
    data = golden_input(template)
    text = html_text(rendered.html(template))
    for officer in data["officers"]:
        assert f"{officer['name']}（执法证号：{officer['cert_no']}）" in text or (
            template == "transfer_report.html.j2" and officer["name"] in text
        )


def test_approvals_print_full_name_and_title(rendered: Rendered) -> None:
    for template in ("extension_approval.html.j2", "enforcement_application.html.j2"):
        data = golden_input(template)
        text = html_text(rendered.html(template))
        assert f"{data['actor']['title']}{data['actor']['name']}" in text


def test_hearing_host_by_full_name(rendered: Rendered) -> None:
    data = golden_input("hearing_notice.html.j2")
    text = html_text(rendered.html("hearing_notice.html.j2"))
    assert f"{data['people'][data['payload']['host']]['name']}主持" in text


@pytest.mark.parametrize(
    "template",
    [
        "not_accepted_notice.html.j2",
        "arbitration_advice.html.j2",
        "party_advice.html.j2",
        "labour_not_accepted.html.j2",
    ],
    ids=stem,
)
def test_complainants_named(template: str, rendered: Rendered) -> None:
    data = golden_input(template)
    assert data["case"]["complainant"]
    text = html_text(rendered.html(template))
    assert text.startswith(data["bureau"]["name"]) and data["case"]["complainant"] in text


def test_penalty_decision_carries_article_59(rendered: Rendered) -> None:
    data = golden_input("penalty_decision.html.j2")
    text = html_text(rendered.html("penalty_decision.html.j2"))
    p, pay = data["data"]["penalty"], data["bureau"]["payment"]
    assert f"违反了{p['basis']}的规定" in text
    assert f"依据{p['penalty_basis']}和《中华人民共和国行政处罚法》第五十七条" in text
    assert "罚款人民币5,000.00元（大写：伍仟元整）" in text
    for value in (pay["bank"], pay["account_name"], pay["account_no"]):
        assert value in text
    assert "自收到本决定书之日起十五日内" in text
    assert f"六十日内向{data['bureau']['reconsideration_body']}申请行政复议" in text
    assert f"六个月内直接向{data['bureau']['court']}提起行政诉讼" in text


def test_advance_notice_counts_from_receipt(rendered: Rendered) -> None:
    text = html_text(rendered.html("penalty_notice.html.j2"))
    assert "自收到本告知书之日起五个工作日内" in text
    assert "年" not in text.split("自收到本告知书之日起")[1].split("。")[0]


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("扣押劳动者居民身份证", "扣押劳动者居民身份证。"),
        ("已改正。", "已改正。"),
        ("他说“已付清。”", "他说“已付清。”"),
        ("是否属实？", "是否属实？"),
        ("见附件（共3页）", "见附件（共3页）。"),
        ("逾期；", "逾期；。"),
        ("a&amp;  \n", "a&amp;。"),
        ("", ""),
    ],
)
def test_typed_text_completed_as_a_sentence(typed: str, printed: str) -> None:
    assert sentence(typed) == printed


def test_clause_drops_only_a_closing_full_stop() -> None:
    assert clause("与劳动者订立书面劳动合同。") == "与劳动者订立书面劳动合同"
    assert clause("甲；乙") == "甲；乙"
