"""County profiles: names, units, document prefixes, remedies, thresholds and periods."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workflows.routing import (
    CountyProfile,
    DocFamily,
    PeriodUnit,
    RoutingLookupError,
    WorkKind,
    load_departments,
    load_matters,
    load_profile,
)


@pytest.fixture(scope="module")
def dingan() -> CountyProfile:
    return load_profile("dingan")


@pytest.fixture(scope="module")
def shuangpai() -> CountyProfile:
    return load_profile("shuangpai")


def test_county_and_bureau(dingan: CountyProfile, shuangpai: CountyProfile) -> None:
    assert (dingan.name, dingan.province) == ("定安县", "海南省")
    assert dingan.bureau_name == "定安县人力资源和社会保障局"
    assert dingan.bureau_short_name == "定安县人社局"
    assert (shuangpai.name, shuangpai.province) == ("双牌县", "湖南省")
    assert shuangpai.bureau_name == "双牌县人力资源和社会保障局"


@pytest.mark.parametrize(
    ("key", "dingan_name", "shuangpai_name"),
    [
        ("market_regulation", "县市场监督管理局", "县市场监督管理局"),
        ("safety_supervision", "县应急管理局", "县应急管理局"),
        ("tax", "国家税务总局定安县税务局", "国家税务总局双牌县税务局"),
        ("health", "县卫生健康委员会", "县卫生健康局"),
        ("police", "县公安局", "县公安局"),
    ],
)
def test_profiles_name_the_departments_as_they_are_now(
    dingan: CountyProfile,
    shuangpai: CountyProfile,
    key: str,
    dingan_name: str,
    shuangpai_name: str,
) -> None:
    assert dingan.department_name(key) == dingan_name
    assert shuangpai.department_name(key) == shuangpai_name


def test_the_boundary_tables_keep_the_seeds_names() -> None:
    """Recorded text stays as the seeds wrote it; only the letters use the current names."""
    names = {
        (party.department, party.name)
        for matter in load_matters("dingan")
        for party in matter.parties
    }
    assert ("market_regulation", "县工商局") in names
    assert ("safety_supervision", "县安监局") in names
    assert any(d == "tax" and "地税局" in n for d, n in names)


ABOLISHED = ("工商局", "安监局", "地税局", "国土局", "卫计委", "卫生局", "监察局")


def test_no_profile_names_an_abolished_department(
    dingan: CountyProfile, shuangpai: CountyProfile
) -> None:
    for profile in (dingan, shuangpai):
        for key in load_departments():
            name = profile.department_name(key)
            assert not any(old in name for old in ABOLISHED), (profile.county_id, key, name)


def test_every_catalogue_department_has_a_name(
    dingan: CountyProfile, shuangpai: CountyProfile
) -> None:
    for key in load_departments():
        assert dingan.department_name(key)
        assert shuangpai.department_name(key)


def test_fallback_and_full_names(dingan: CountyProfile) -> None:
    assert dingan.department_full_name("police") == "定安县公安局"
    assert dingan.department_full_name("township_government") == "镇政府"
    names = dict(dingan.department_names)
    del names["audit"]
    trimmed = CountyProfile(**{**vars(dingan), "department_names": names})
    assert trimmed.department_name("audit") == load_departments()["audit"].default_name
    with pytest.raises(RoutingLookupError, match="未登记的部门"):
        dingan.department_name("space_agency")


def test_units_and_phones(dingan: CountyProfile, shuangpai: CountyProfile) -> None:
    brigade = dingan.unit_for(WorkKind.COMPLAINTS)
    assert (brigade.name, brigade.phone) == ("县劳动保障监察大队", "63827235")
    assert dingan.unit_for("labour_inspection") is brigade
    assert dingan.unit_for(WorkKind.EMPLOYMENT_FILING) is brigade
    assert dingan.unit_for(WorkKind.POLICY_CONSULTATION).phone == "63830923"
    assert dingan.unit_for(WorkKind.PHONE_CONSULTATION).name == "劳动力市场管理股"
    assert dingan.unit_for(WorkKind.LEGAL_PUBLICITY).phone == "63823560"
    assert dingan.unit("employment_bureau").name == "县就业局"
    assert shuangpai.unit_for(WorkKind.LABOUR_INSPECTION).phone == ""
    with pytest.raises(RoutingLookupError, match="dispute_arbitration"):
        shuangpai.unit_for(WorkKind.DISPUTE_ARBITRATION)
    with pytest.raises(RoutingLookupError):
        dingan.unit("no_such_unit")


def test_document_prefixes(dingan: CountyProfile, shuangpai: CountyProfile) -> None:
    assert dingan.doc_prefix(DocFamily.INSPECTION) == "定人社监"
    assert dingan.doc_prefix("decision") == "定人社罚"
    assert dingan.doc_prefix(DocFamily.FUND_SUPERVISION) == "定人社基监"
    assert shuangpai.doc_prefix(DocFamily.INSPECTION) == "双人社监"
    assert set(dingan.doc_prefixes) == set(DocFamily)
    with pytest.raises(RoutingLookupError, match="字号前缀"):
        dingan.doc_prefix("memo")


def test_remedy_bodies(dingan: CountyProfile, shuangpai: CountyProfile) -> None:
    assert (dingan.reconsideration_body, dingan.court) == ("定安县人民政府", "定安县人民法院")
    assert (shuangpai.reconsideration_body, shuangpai.court) == (
        "双牌县人民政府",
        "双牌县人民法院",
    )


@pytest.mark.parametrize("county", ["dingan", "shuangpai"])
def test_thresholds_are_labelled_defaults(county: str) -> None:
    thresholds = load_profile(county).thresholds
    assert thresholds.per_worker_yuan == Decimal(5000)
    assert thresholds.total_yuan == Decimal(30000)
    assert (thresholds.min_workers, thresholds.min_months) == (10, 3)
    assert thresholds.confirmed is False
    assert thresholds.source.startswith("默认值")


def test_default_periods(dingan: CountyProfile) -> None:
    periods = dingan.periods
    assert periods.payment_order[:2] == (7, "days")
    assert periods.written_opinion.amount == 10
    assert periods.written_opinion.unit is PeriodUnit.DAYS
    assert "视同无异议" in periods.written_opinion.basis
    assert periods.rectification.amount > 0
    assert periods.data_request.amount > 0
