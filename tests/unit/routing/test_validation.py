"""Broken routing data fails at load time with a Chinese message naming file and entry."""

from __future__ import annotations

from importlib.resources import files

import pytest

from workflows.routing import (
    RoutingDataError,
    parse_departments,
    parse_matters,
    parse_profile,
)

SOURCE = "matters/test.toml"

VALID = """
[[matters]]
id = "wage_arrears"
number = 1
title = "农民工工资拖欠案件查处"
procedures = ["wage_arrears"]

[[matters.parties]]
department = "bureau"
name = "县人社局"
duty = "查处拖欠"

[[matters.parties]]
department = "police"
name = "县公安局"
duty = "审查移送的案件"

[[matters.referrals]]
to = "police"
kind = "criminal"
reason = "涉嫌犯罪的移送公安"
response = { amount = 3, unit = "days", basis = "310号令第八条" }
"""

SECOND = """
[[matters]]
id = "child_labour"
number = 2
title = "非法使用童工监管"

[[matters.parties]]
department = "bureau"
name = "县人社局"
duty = "监督检查"
"""


def packaged(path: str) -> str:
    return (files("workflows.routing") / "data" / path).read_text(encoding="utf-8")


def fails(text: str) -> RoutingDataError:
    with pytest.raises(RoutingDataError) as caught:
        parse_matters(text, SOURCE)
    error = caught.value
    assert error.code == "ROUTING_DATA_INVALID"
    assert isinstance(error, ValueError)
    assert error.message.startswith(f"{SOURCE}：")
    return error


def test_valid_text_parses() -> None:
    table = parse_matters(VALID + SECOND, SOURCE, county_id="test")
    assert [m.id for m in table] == ["wage_arrears", "child_labour"]
    assert table.may_refer("wage_arrears", "police")
    assert table.source == SOURCE


def test_unknown_department_key() -> None:
    error = fails(VALID.replace('department = "police"', 'department = "polce"'))
    assert error.entry == "事项“wage_arrears”的第2个相关部门"
    assert "未登记的部门“polce”" in error.message


def test_duplicate_matter_id() -> None:
    error = fails(VALID + SECOND.replace('"child_labour"', '"wage_arrears"'))
    assert error.entry == "第2个事项（id = wage_arrears）"
    assert "与第1个事项重复" in error.message


def test_duplicate_matter_number() -> None:
    error = fails(VALID + SECOND.replace("number = 2", "number = 1"))
    assert "序号 1" in error.message


def test_referral_to_department_not_among_parties() -> None:
    text = VALID.replace('to = "police"', 'to = "court"')
    error = fails(text)
    assert error.entry == "事项“wage_arrears”的第1个移送（referrals）"
    assert "移送对象“court”不是本事项的相关部门" in error.message
    # allowed when marked as outside the table, with where it comes from
    marked = text.replace('kind = "criminal"', 'kind = "criminal"\noutside_table = true')
    assert "source" in fails(marked).message
    sourced = marked.replace("outside_table = true", 'outside_table = true\nsource = "三（二）6"')
    assert parse_matters(sourced, SOURCE).may_refer("wage_arrears", "court")


def test_referral_to_unknown_department() -> None:
    error = fails(VALID.replace('to = "police"', 'to = "fire_brigade"'))
    assert "未登记的部门“fire_brigade”" in error.message


def test_referral_to_the_bureau_itself() -> None:
    assert "本局自己" in fails(VALID.replace('to = "police"', 'to = "bureau"')).message


def test_bad_period_unit() -> None:
    error = fails(VALID.replace('unit = "days"', 'unit = "weeks"'))
    assert error.entry == "事项“wage_arrears”的第1个移送（referrals）的答复期限（response）"
    assert "字段“unit”的值“weeks”无效" in error.message
    assert "working_days" in error.message


def test_bad_values() -> None:
    assert "procedures" in fails(VALID.replace('["wage_arrears"]', '["audit"]')).message
    assert "kind" in fails(VALID.replace('"criminal"', '"urgent"')).message
    assert "amount" in fails(VALID.replace("amount = 3", "amount = 0")).message
    assert "应为整数" in fails(VALID.replace("number = 1", 'number = "1"')).message
    assert "缺少字段“duty”" in fails(VALID.replace('duty = "查处拖欠"', "")).message
    bad_id = VALID.replace('id = "wage_arrears"', 'id = "Wage"')
    assert "小写英文字母" in fails(bad_id).message


def test_missing_bureau_and_duplicate_party() -> None:
    no_bureau = VALID.replace('department = "bureau"', 'department = "court"')
    assert "没有本局" in fails(no_bureau).message
    twice = VALID.replace('department = "police"', 'department = "bureau"')
    assert "重复出现" in fails(twice).message


def test_unknown_field_is_reported() -> None:
    error = fails(VALID.replace('duty = "查处拖欠"', 'duty = "查处拖欠"\nduties = "x"'))
    assert "未知字段：duties" in error.message


def test_internal_unit_checked_against_profile_units() -> None:
    text = VALID.replace('procedures = ["wage_arrears"]', 'internal_unit = "brigade"')
    assert parse_matters(text, SOURCE).matter("wage_arrears").internal_unit == "brigade"
    with pytest.raises(RoutingDataError, match="承办单位“brigade”"):
        parse_matters(text, SOURCE, unit_ids={"office"})


def test_toml_syntax_error() -> None:
    error = fails('[[matters]]\nid = "unterminated')
    assert error.entry == "整个文件"
    assert "TOML 格式错误" in error.message


def test_departments_file_errors() -> None:
    good = '[departments.bureau]\ndescription = "本局"\ndefault_name = "县人社局"\n'
    assert set(parse_departments(good, "departments.toml")) == {"bureau"}
    with pytest.raises(RoutingDataError, match=r"departments\.toml：部门“Police”"):
        parse_departments(good + good.replace("bureau", "Police"), "departments.toml")
    with pytest.raises(RoutingDataError, match="必须登记本局"):
        parse_departments(good.replace("bureau]", "police]"), "departments.toml")


PROFILE = packaged("profiles/dingan.toml")
PROFILE_SOURCE = "profiles/dingan.toml"


def profile_fails(old: str, new: str) -> RoutingDataError:
    assert old in PROFILE
    with pytest.raises(RoutingDataError) as caught:
        parse_profile(PROFILE.replace(old, new, 1), PROFILE_SOURCE)
    assert caught.value.message.startswith(f"{PROFILE_SOURCE}：")
    return caught.value


def test_packaged_profile_text_parses() -> None:
    assert parse_profile(PROFILE, PROFILE_SOURCE).county_id == "dingan"


def test_profile_errors() -> None:
    error = profile_fails('police = "县公安局"', 'polis = "县公安局"')
    assert error.entry == "[departments]"
    assert "未登记的部门“polis”" in error.message

    error = profile_fails('payment_order_unit = "days"', 'payment_order_unit = "day"')
    assert error.entry == "[periods]"
    assert "payment_order_unit" in error.message

    error = profile_fails("per_worker_yuan = 5000", "per_worker_yuan = 4000")
    assert error.entry == "[criminal_thresholds]"
    assert "5000–20000" in error.message
    assert "30000–100000" in profile_fails("total_yuan = 30000", "total_yuan = 200000").message
    assert "min_workers" in profile_fails("min_workers = 10", "min_workers = 5").message

    error = profile_fails('transfer = "定人社移"\n', "")
    assert error.entry == "[doc_prefixes]"
    assert "缺少字段“transfer”" in error.message

    error = profile_fails('"legal_publicity"]', '"legal_publicity", "complaints"]')
    assert "工作类别“complaints”已由单位“labour_inspection_brigade”承办" in error.message
    assert "handles" in profile_fails('"legal_publicity"]', '"gardening"]').message
