"""Notes and attachments are written by the people who act in the case: the assigned
inspectors, the supervisors of its unit, the head, a legal reviewer on the cases they review;
never the admin, another unit's supervisor or an unassigned inspector — and a refusal writes
nothing."""

from __future__ import annotations

import pytest

from engine.bootstrap import App
from engine.domain.case_file import NotInCaseFile, may_write
from engine.domain.errors import InvalidInput, ReservedUser, UnknownUser
from tests.unit.service._flows import complaint


@pytest.fixture
def case_ref(app: App) -> str:
    app.users.add_user("qian", "inspector", "县社会保险基金监督股", "钱监察", actor="admin")
    app.users.add_user("wu", "supervisor", "县社会保险基金监督股", "吴股长", actor="admin")
    return complaint(app).ref  # opened by wang, who is its assignee


@pytest.mark.parametrize("who", ["wang", "chen", "zhou"])
def test_the_people_who_act_in_the_case_write_into_its_file(
    app: App, case_ref: str, who: str
) -> None:
    app.cases.add_note(case_ref, f"{who}：电话联系当事人", actor=who)
    app.cases.add_attachment(case_ref, "询问笔录.pdf", b"%PDF-1.4 x", actor=who)
    kinds = [str(e.kind) for e in app.queries.history(case_ref)]
    assert kinds[-2:] == ["note", "attachment"]


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("li", NotInCaseFile),  # same unit, not assigned
        ("qian", NotInCaseFile),  # another unit's inspector
        ("wu", NotInCaseFile),  # another unit's supervisor
        ("sun", NotInCaseFile),  # legal reviewer, no review of this case
        ("admin", NotInCaseFile),  # manages users, never writes into a case file
        ("system", ReservedUser),
        ("nobody", UnknownUser),
    ],
)
def test_anyone_else_is_refused_and_nothing_is_written(
    app: App, case_ref: str, who: str, error: type[Exception]
) -> None:
    before = app.queries.history(case_ref)
    with pytest.raises(error) as refused:
        app.cases.add_note(case_ref, "越权备注", actor=who)
    with pytest.raises(error):
        app.cases.add_attachment(case_ref, "x.pdf", b"%PDF-1.4", actor=who)
    assert app.queries.history(case_ref) == before
    assert app.queries.get_case(case_ref).attachments == []
    if isinstance(refused.value, NotInCaseFile):
        assert refused.value.code == "CASE_FILE_NOT_PERMITTED"
        assert "本案承办人" in refused.value.message and case_ref in refused.value.message


def test_a_legal_reviewer_writes_while_reviewing_and_after(app: App, case_ref: str) -> None:
    case = app.queries.get_case(case_ref).case
    sun = app.users.get("sun")
    assert not may_write(sun, case, review_states=frozenset())
    assert may_write(sun, case, review_states={(case.procedure, case.state)})
    assert may_write(sun, case, review_states=frozenset(), actors={"sun"})
    app.users.set_active("sun", False, actor="admin")
    assert not may_write(app.users.get("sun"), case, {(case.procedure, case.state)})


@pytest.mark.parametrize("name", ["system", "System", " SYSTEM "])
def test_system_is_the_clocks_alone(app: App, case_ref: str, name: str) -> None:
    with pytest.raises(InvalidInput, match="系统保留"):
        app.users.add_user(name, "inspector", "县劳动保障监察大队", actor="admin")
    before = app.queries.history(case_ref)
    with pytest.raises(ReservedUser) as refused:
        app.cases.fire(case_ref, "accept", {"summary": "符合受理条件"}, actor=name)
    assert refused.value.code == "RESERVED_USER"
    with pytest.raises(ReservedUser):
        app.cases.add_note(case_ref, "以系统名义写入", actor=name)
    assert app.queries.history(case_ref) == before
