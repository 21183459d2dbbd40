"""`caseflow matters` and `caseflow profile show`: the routing data on the command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from engine.entrypoints.cli import app

runner = CliRunner()


@pytest.mark.parametrize(("county", "count"), [("dingan", 15), ("shuangpai", 13)])
def test_matters_lists_the_boundary_table(county: str, count: int) -> None:
    result = runner.invoke(app, ["matters", "--county", county, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["matters"]) == count
    [child] = [m for m in data["matters"] if m["id"] == "child_labour"]
    police = next(r for r in child["referrals"] if r["to"] == "police")
    assert police["kind"] == "criminal" and police["response"]["amount"] == 3
    regulator = next(r for r in child["referrals"] if r["to"] == "market_regulation")
    assert regulator["name"] == "县市场监督管理局"  # as it is now
    regulator_party = next(d for d in child["departments"] if d["key"] == "market_regulation")
    seed = {"dingan": "县工商局", "shuangpai": "市场质量和监督管理部门"}[county]
    assert seed in regulator_party["seed_name"]  # as the seed recorded it


def test_matters_takes_the_global_county_and_prints_a_table() -> None:
    result = runner.invoke(app, ["--county", "shuangpai", "matters"])
    assert result.exit_code == 0, result.output
    assert "双牌县职责边界表" in result.stdout


def test_profile_show() -> None:
    result = runner.invoke(app, ["profile", "show", "--county", "dingan", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["bureau"]["name"] == "定安县人力资源和社会保障局"
    assert data["doc_prefixes"]["transfer"] == "定人社移"
    assert data["periods"]["written_opinion"] == {
        "amount": 10,
        "unit": "days",
        "basis": data["periods"]["written_opinion"]["basis"],
    }
    assert data["criminal_thresholds"]["confirmed"] is False
    plain = runner.invoke(app, ["profile", "show", "--county", "dingan"])
    assert plain.exit_code == 0 and "县劳动保障监察大队" in plain.stdout


def test_unknown_county_is_an_error() -> None:
    result = runner.invoke(app, ["matters", "--county", "nowhere", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["code"] == "ROUTING_NOT_FOUND"
