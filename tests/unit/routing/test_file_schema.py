"""The pydantic file schemas: a misspelt key or a wrong type in a routing file is a load
error naming the file, the entry and the key; every file model is strict and closed."""

from __future__ import annotations

import inspect
from importlib.resources import files

import pytest

from engine.domain.county import DocFamily
from workflows.routing import (
    RoutingDataError,
    matters_file,
    parse_matters,
    parse_profile,
    profile_file,
)
from workflows.routing import departments as departments_file
from workflows.routing._schema import FileModel

PROFILE_SOURCE = "profiles/dingan.toml"
MATTERS_SOURCE = "matters/dingan.toml"


def packaged(path: str) -> str:
    return (files("workflows.routing") / "data" / path).read_text(encoding="utf-8")


PROFILE = packaged(PROFILE_SOURCE)
MATTERS = packaged(MATTERS_SOURCE)


def profile_error(old: str, new: str) -> RoutingDataError:
    assert old in PROFILE
    with pytest.raises(RoutingDataError) as caught:
        parse_profile(PROFILE.replace(old, new, 1), PROFILE_SOURCE)
    error = caught.value
    assert error.source == PROFILE_SOURCE
    assert error.message == f"{PROFILE_SOURCE}：{error.entry}：{error.problem}"
    return error


def matters_error(old: str, new: str) -> RoutingDataError:
    assert old in MATTERS
    with pytest.raises(RoutingDataError) as caught:
        parse_matters(MATTERS.replace(old, new, 1), MATTERS_SOURCE)
    error = caught.value
    assert error.source == MATTERS_SOURCE
    assert error.message == f"{MATTERS_SOURCE}：{error.entry}：{error.problem}"
    return error


@pytest.mark.parametrize(
    ("old", "new", "entry", "key"),
    [
        ("payment_order_days = 7", "payment_order_dyas = 7", "[periods]", "payment_order_dyas"),
        (
            "confirmed = false\nsource",
            "confirmd = false\nsource",
            "[criminal_thresholds]",
            "confirmd",
        ),
        (
            'phone = "63827235"',
            'phon = "63827235"',
            "第1个单位（id = labour_inspection_brigade）",
            "phon",
        ),
        ("[remedies]", "[remedys]", "文件", "remedys"),
    ],
)
def test_misspelt_key_in_a_profile_names_file_entry_and_key(
    old: str, new: str, entry: str, key: str
) -> None:
    error = profile_error(old, new)
    assert error.entry == entry
    assert f"未知字段：{key}（请检查字段名是否写错）" in error.problem
    assert error.to_dict()["details"] == {
        "source": PROFILE_SOURCE,
        "entry": entry,
        "problem": error.problem,
    }


def test_misspelt_required_key_names_both_the_typo_and_the_missing_key() -> None:
    error = profile_error("payment_order_days = 7", "payment_order_dyas = 7")
    assert error.problem == (
        "未知字段：payment_order_dyas（请检查字段名是否写错）；缺少字段“payment_order_days”"
    )


@pytest.mark.parametrize(
    ("old", "new", "entry", "key"),
    [
        ("procedures = []", "procedure = []", "第1个事项（id = death_gratuity）", "procedure"),
        ("duty = ", "dutty = ", "事项“death_gratuity”的第1个相关部门", "dutty"),
        (
            'reason = "抚恤金',
            'reasons = "抚恤金',
            "事项“death_gratuity”的第1个移送（referrals）",
            "reasons",
        ),
        (
            "response = { amount = 3, unit",
            "response = { amout = 3, unit",
            "事项“child_labour”的第1个移送（referrals）的答复期限（response）",
            "amout",
        ),
    ],
)
def test_misspelt_key_in_a_matters_file_names_file_entry_and_key(
    old: str, new: str, entry: str, key: str
) -> None:
    error = matters_error(old, new)
    assert error.entry == entry
    assert f"未知字段：{key}" in error.problem


@pytest.mark.parametrize(
    ("old", "new", "entry", "problem"),
    [
        (
            "per_worker_yuan = 5000",
            'per_worker_yuan = "5000"',
            "[criminal_thresholds]",
            "字段“per_worker_yuan”应为整数，实际为文本",
        ),
        (
            "confirmed = false\nsource",
            'confirmed = "no"\nsource',
            "[criminal_thresholds]",
            "字段“confirmed”应为布尔值（true 或 false），实际为文本",
        ),
        (
            'phone = "63827235"',
            "phone = 63827235",
            "第1个单位（id = labour_inspection_brigade）",
            "字段“phone”应为文本，实际为整数",
        ),
        (
            'handles = ["legal_publicity"]',
            'handles = "legal_publicity"',
            "第4个单位（id = office）",
            "字段“handles”应为文本列表，实际为文本",
        ),
        (
            'police = "县公安局"',
            "police = 110",
            "[departments]",
            "字段“police”应为文本，实际为整数",
        ),
        ("payment_order_days = 7", "payment_order_days = 7.5", "[periods]", "应为整数，实际为小数"),
    ],
)
def test_wrong_type_in_a_profile_names_key_and_expected_type(
    old: str, new: str, entry: str, problem: str
) -> None:
    error = profile_error(old, new)
    assert error.entry == entry
    assert problem in error.problem


@pytest.mark.parametrize(
    ("old", "new", "entry", "problem"),
    [
        (
            "number = 1\n",
            'number = "1"\n',
            "第1个事项（id = death_gratuity）",
            "字段“number”应为整数，实际为文本",
        ),
        (
            "outside_table = true\nsource",
            'outside_table = "true"\nsource',
            "事项“social_insurance_fund”的第3个移送（referrals）",
            "字段“outside_table”应为布尔值（true 或 false），实际为文本",
        ),
        (
            "procedures = []",
            'procedures = "wage_arrears"',
            "第1个事项（id = death_gratuity）",
            "字段“procedures”应为文本列表，实际为文本",
        ),
        (
            '[[matters.referrals]]\nto = "finance"',
            '[matters.referrals]\nto = "finance"',
            "第1个事项（id = death_gratuity）",
            "字段“referrals”应为表的数组（[[...]]），实际为表",
        ),
        (
            "response = { amount = 3,",
            'response = { amount = "3",',
            "事项“child_labour”的第1个移送（referrals）的答复期限（response）",
            "字段“amount”应为整数，实际为文本",
        ),
    ],
)
def test_wrong_type_in_a_matters_file_names_key_and_expected_type(
    old: str, new: str, entry: str, problem: str
) -> None:
    error = matters_error(old, new)
    assert error.entry == entry
    assert problem in error.problem


def test_doc_prefix_keys_are_the_document_families() -> None:
    assert set(profile_file.DocPrefixesEntry.model_fields) == {f.value for f in DocFamily}


def test_every_file_model_is_strict_frozen_and_closed() -> None:
    models = {
        cls
        for module in (departments_file, matters_file, profile_file)
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, FileModel) and cls is not FileModel
    }
    assert len(models) == 18
    for model in sorted(models, key=lambda cls: cls.__name__):
        config = model.model_config
        assert (config.get("extra"), config.get("frozen"), config.get("strict")) == (
            "forbid",
            True,
            True,
        ), model.__name__


def test_a_profile_may_name_deputy_heads_acting_as_the_head() -> None:
    plain = parse_profile(PROFILE, PROFILE_SOURCE)
    assert plain.head_title("zhou") == "局长"
    named = PROFILE + '\n[[heads]]\nuser = "wu"\ntitle = "分管副局长"\n'
    profile = parse_profile(named, PROFILE_SOURCE)
    assert profile.head_title("wu") == "分管副局长"
    assert profile.head_title("zhou") == "局长"
    with pytest.raises(RoutingDataError):
        parse_profile(PROFILE + '\n[[heads]]\nuser = "wu"\n', PROFILE_SOURCE)
