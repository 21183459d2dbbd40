"""Departments as they are now: the admin's current name of a partner department is what a
referral letter issued afterwards is addressed to; the boundary table keeps the seed's name;
renaming is the admin's alone, recorded, checked, and can be undone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.domain.auth import AuditKind
from engine.domain.errors import InvalidInput, NotPermitted
from tests.unit.service._flows import to_payment_ordered
from workflows.counties import CountySettings, department_rows


def _referral(app: App, clock: FixedClock) -> tuple[str, str]:
    case = to_payment_ordered(app, clock)
    clock.set(clock.now() + timedelta(days=8))
    app.sweeper.sweep()
    facts = {"department": "housing_construction", "facts": "逾期未支付"}
    app.cases.fire(case.ref, "refer", facts, actor="wang")
    letter = app.queries.get_case(case.ref).documents[-1]
    return case.ref, app.documents.render(letter.id, "html").content.decode()


def test_a_renamed_department_receives_the_letters_issued_afterwards(
    app: App, clock: FixedClock
) -> None:
    assert app.departments.names()["housing_construction"] == "县住房和城乡建设局"
    app.departments.rename(
        "housing_construction", "县住房和城乡建设局（县人民防空办公室）", actor="admin"
    )
    ref, html = _referral(app, clock)
    assert "定安县住房和城乡建设局（县人民防空办公室）：" in html
    [referral] = app.queries.get_case(ref).case.data["referrals"][-1:]
    assert referral["name"] == "县住房和城乡建设局（县人民防空办公室）"
    entries = app.auth.audit_log(actor="admin", kind=str(AuditKind.DEPARTMENT_RENAMED)).items
    assert [e.subject for e in entries] == ["housing_construction"]
    assert "县住房和城乡建设局 → " in entries[0].detail


def test_the_boundary_table_keeps_the_seeds_names(app: App) -> None:
    settings = app.county.settings
    assert isinstance(settings, CountySettings)
    rows = {r["key"]: r for r in department_rows(settings, app.departments.renamed())}
    assert "县工商局" in rows["market_regulation"]["seed_names"]
    assert rows["market_regulation"]["name"] == "县市场监督管理局"
    assert "县安监局" in rows["safety_supervision"]["seed_names"]
    assert rows["safety_supervision"]["name"] == "县应急管理局"


def test_renaming_is_the_admins_checked_and_undone(app: App) -> None:
    with pytest.raises(NotPermitted):
        app.departments.rename("tax", "县税务局", actor="zhou")
    with pytest.raises(InvalidInput, match="未登记的部门键"):
        app.departments.rename("space_agency", "县航天局", actor="admin")
    with pytest.raises(InvalidInput, match="不能为空"):
        app.departments.rename("tax", "  ", actor="admin")
    with pytest.raises(InvalidInput, match="没有由管理员改过名称"):
        app.departments.reset("tax", actor="admin")
    assert app.departments.renamed() == {}
    app.departments.rename("tax", "国家税务总局定安县税务局第一税务分局", actor="admin")
    assert app.departments.names()["tax"] == "国家税务总局定安县税务局第一税务分局"
    assert app.departments.reset("tax", actor="admin") == "国家税务总局定安县税务局"
    assert app.departments.renamed() == {}


def test_the_admins_names_are_read_only_when_a_name_is_looked_up(app: App) -> None:
    settings = app.county.settings
    assert isinstance(settings, CountySettings)
    reads: list[int] = []

    def load() -> dict[str, str]:
        reads.append(1)
        return {"tax": "县税务局（第一税务所）"}

    lazy = settings.with_department_names_from(load)
    assert lazy.period("payment_order_period") == settings.period("payment_order_period")
    assert lazy.thresholds == settings.thresholds
    assert reads == []  # a command that names no department reads nothing
    assert lazy.profile.department_name("tax") == "县税务局（第一税务所）"
    assert lazy.profile.department_name("market_regulation") == "县市场监督管理局"
    assert lazy.department_names()["tax"] == "县税务局（第一税务所）"
    assert reads == [1]  # once per command, however many names it looks up
