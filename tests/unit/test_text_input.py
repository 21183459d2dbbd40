"""Text is checked once where it enters the engine: no control characters, NUL, lone
surrogates or direction overrides; the same length limits on every store; the field named."""

from __future__ import annotations

import pytest

from engine.bootstrap import App
from engine.domain.errors import InvalidInput, PayloadInvalid
from engine.domain.subject import Subject
from engine.domain.users import User
from tests.shared import CONTRACTOR
from tests.unit.service._flows import complaint
from tests.unit.workflows._harness import fake_app

USCC = "91469021MA5T3XY14R"
BAD = {
    "escape": "某公司\x1b[31m",
    "nul": "某\x00公司",
    "carriage return": "某公司\r覆盖",
    "surrogate": "某公司\udcb3",
    "direction override": "某公司\u202e司公",
    "C1 control": "某公司\x9b",
}


@pytest.fixture
def app() -> App:
    return fake_app()


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
def test_party_names_with_control_characters_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Subject.create(text, "定城镇", USCC)
    assert refused.value.details["field"] == "当事人名称"
    assert "字符" in refused.value.message


def test_the_same_length_limits_on_every_store() -> None:
    Subject.create("某" * 300, "定城镇", USCC)
    with pytest.raises(InvalidInput, match="最长 300 个字"):
        Subject.create("某" * 301, "定城镇", USCC)
    with pytest.raises(InvalidInput, match="最长 500 个字"):
        Subject.create("某公司", "址" * 501, USCC)
    with pytest.raises(InvalidInput, match="所在单位"):
        User.create("wu", "inspector", "队" * 201)


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
def test_notes_reasons_and_payloads_refuse_them_and_write_nothing(app: App, text: str) -> None:
    case = complaint(app)
    before = app.queries.history(case.ref)
    if text != BAD["carriage return"]:  # multi-line text keeps a browser's \r\n
        with pytest.raises(InvalidInput, match="备注"):
            app.cases.add_note(case.ref, text, actor="wang")
        with pytest.raises(InvalidInput, match="理由"):
            app.cases.fire(
                case.ref, "accept", {"summary": "符合受理条件"}, actor="wang", reason=text
            )
        with pytest.raises(PayloadInvalid) as refused:
            app.cases.fire(case.ref, "accept", {"summary": text}, actor="wang")
        assert "summary" in refused.value.problems
    with pytest.raises(InvalidInput, match="附件名称"):
        app.cases.add_attachment(case.ref, text + ".pdf", b"%PDF", actor="wang")
    assert app.queries.history(case.ref) == before


def test_multi_line_text_and_tabs_are_kept(app: App) -> None:
    case = complaint(app)
    text = "第一行\n\t第二行\r\n第三行"
    app.cases.add_note(case.ref, text, actor="wang")
    assert app.queries.history(case.ref)[-1].payload["text"] == text
    assert Subject.create("定安县[某]建筑劳务有限公司", "定城镇", USCC).name.startswith("定安县[")
    assert CONTRACTOR.name
