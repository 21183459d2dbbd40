"""The packaged boundary tables of both counties load and say what the seeds say."""

from __future__ import annotations

import pytest

from workflows.routing import (
    BUREAU,
    PeriodUnit,
    ProcedureId,
    ReferralKind,
    RoutingLookupError,
    RoutingTable,
    available_counties,
    load_departments,
    load_matters,
    load_profile,
)

COUNTIES = ["dingan", "shuangpai"]


@pytest.fixture(scope="module")
def dingan() -> RoutingTable:
    return load_matters("dingan")


@pytest.fixture(scope="module")
def shuangpai() -> RoutingTable:
    return load_matters("shuangpai")


def test_both_counties_are_available() -> None:
    assert available_counties() == COUNTIES


def test_matter_counts_match_the_seeds(dingan: RoutingTable, shuangpai: RoutingTable) -> None:
    assert len(dingan) == 15
    assert [m.number for m in dingan.matters()] == list(range(1, 16))
    assert len(shuangpai) == 13
    assert [m.number for m in shuangpai.matters()] == list(range(1, 14))


def test_party_counts_match_the_seeds(dingan: RoutingTable, shuangpai: RoutingTable) -> None:
    # Number of department rows per matter, counted by hand in each seed's table.
    assert [len(m.parties) for m in dingan] == [2, 3, 3, 2, 3, 3, 5, 3, 4, 2, 2, 5, 6, 4, 5]
    assert [len(m.parties) for m in shuangpai] == [3, 4, 5, 2, 6, 4, 2, 3, 2, 3, 3, 3, 7]


@pytest.mark.parametrize("county", COUNTIES)
def test_every_department_and_unit_resolves(county: str) -> None:
    table, profile = load_matters(county), load_profile(county)
    catalogue = load_departments()
    unit_ids = {unit.id for unit in profile.units}
    for matter in table:
        assert BUREAU in matter.department_keys()
        for party in matter.parties:
            assert party.department in catalogue
            assert profile.department_name(party.department)
            assert party.name and party.duty
        for referral in matter.referrals:
            assert referral.to in catalogue
            assert referral.to != BUREAU
            assert referral.reason
            assert referral.outside_table or referral.to in matter.department_keys()
        if matter.internal_unit is not None:
            assert matter.internal_unit in unit_ids


def test_same_matter_has_same_id_in_both_counties(
    dingan: RoutingTable, shuangpai: RoutingTable
) -> None:
    shared = {m.id for m in dingan} & {m.id for m in shuangpai}
    assert shared == {
        "death_gratuity",
        "public_recruitment",
        "military_spouse_employment",
        "graduate_employment",
        "child_labour",
        "women_workers",
    }
    assert dingan.matter("child_labour").number == 5
    assert shuangpai.matter("child_labour").number == 6


def test_wage_arrears_example_and_referrals(dingan: RoutingTable) -> None:
    matter = dingan.matter("wage_arrears")
    assert matter.number == 15
    assert matter.title == "农民工工资拖欠案件查处"
    assert matter.procedures == (ProcedureId.WAGE_ARREARS,)
    assert matter.internal_unit == "labour_inspection_brigade"

    [example] = matter.examples()
    assert example.department == BUREAU
    for figure in ("72名农民工", "120万元", "105万元", "15万元", "拒不支付劳动报酬罪"):
        assert figure in example.text

    assert dingan.referral_targets("wage_arrears") == (
        "police",
        "arbitration",
        "court",
        "housing_construction",
    )
    police = dingan.referral("wage_arrears", "police")
    assert police.kind is ReferralKind.CRIMINAL
    assert police.response is not None
    assert police.response == (3, "days", "《行政执法机关移送涉嫌犯罪案件的规定》第八条")

    arbitration = dingan.referral("wage_arrears", "arbitration")
    assert arbitration.kind is ReferralKind.ADVISE_PARTY
    assert arbitration.response is not None
    assert arbitration.response.amount == 5
    assert arbitration.response.unit is PeriodUnit.DAYS
    assert "第二十九条" in arbitration.response.basis

    housing = dingan.referral("wage_arrears", "housing_construction")
    assert "市场准入" in housing.reason
    assert dingan.may_refer("wage_arrears", "housing_construction")
    assert not dingan.may_refer("wage_arrears", "education")


def test_child_labour_referrals_in_both_counties(
    dingan: RoutingTable, shuangpai: RoutingTable
) -> None:
    assert dingan.referral_targets("child_labour") == ("police", "market_regulation")
    assert "营业执照" in dingan.referral("child_labour", "market_regulation").reason
    # Shuangpai's police duty names under-14s; its civil-affairs bureau deregisters
    # private non-enterprise units.
    assert "不满14周岁" in shuangpai.referral("child_labour", "police").reason
    assert shuangpai.may_refer("child_labour", "civil_affairs")
    assert not dingan.may_refer("child_labour", "civil_affairs")


def test_women_workers_go_to_safety_supervision_in_dingan(dingan: RoutingTable) -> None:
    referral = dingan.referral("women_workers", "safety_supervision")
    assert referral.kind is ReferralKind.ADMINISTRATIVE
    assert "县安监局" in referral.reason


def test_fund_matter_carries_the_fund_audit_transfers(dingan: RoutingTable) -> None:
    matter = dingan.matter("social_insurance_fund")
    assert dingan.matters_for_procedure("fund_audit") == (matter,)
    outside = {r.to: r for r in matter.referrals if r.outside_table}
    assert set(outside) == {"police", "discipline_inspection", "procuratorate"}
    assert all(r.source and "三（二）6" in r.source for r in outside.values())


def test_basis_and_example_placement_differs_by_seed_layout(
    dingan: RoutingTable, shuangpai: RoutingTable
) -> None:
    # Ding'an writes basis and example on the bureau's row; Shuangpai per matter.
    recruitment = dingan.matter("public_recruitment")
    assert recruitment.legal_basis == ()
    assert recruitment.party(BUREAU).legal_basis == (
        "《事业单位公开招聘人员暂行规定》（人事部令第6号）",
        "《海南省事业单位公开招聘人员实施办法》（琼人社发〔2011〕100号）",
    )
    sp_recruitment = shuangpai.matter("public_recruitment")
    assert len(sp_recruitment.legal_basis) == 6
    assert sp_recruitment.party(BUREAU).legal_basis == ()
    [example] = sp_recruitment.examples()
    assert example.department is None
    assert sp_recruitment.all_legal_basis() == sp_recruitment.legal_basis


def test_party_names_are_the_seeds_own(dingan: RoutingTable, shuangpai: RoutingTable) -> None:
    assert dingan.matter("child_labour").party("market_regulation").name == "县工商局"
    assert shuangpai.matter("child_labour").party("market_regulation").name == (
        "市场质量和监督管理部门"
    )
    assert dingan.matter("wage_arrears").party("arbitration").name == "县人事劳动争议仲裁院"
    assert shuangpai.matter("minors_protection").party("health").name == "卫计部门和学校"


def test_unknown_matter_is_a_lookup_error(dingan: RoutingTable) -> None:
    with pytest.raises(RoutingLookupError, match="没有事项“no_such_matter”"):
        dingan.matter("no_such_matter")
    with pytest.raises(RoutingLookupError):
        dingan.referral("wage_arrears", "education")
    assert "wage_arrears" in dingan
    assert "no_such_matter" not in dingan


def test_unknown_county_is_a_lookup_error() -> None:
    with pytest.raises(RoutingLookupError, match=r"没有县“\.\./dingan”"):
        load_matters("../dingan")
    with pytest.raises(RoutingLookupError):
        load_profile("haikou")
