from __future__ import annotations

import pytest

from engine.deadlines import DayKind, InvalidPeriodError, Period, Unit


@pytest.mark.parametrize(
    ("period", "label"),
    [
        pytest.param(Period(5, Unit.WORKING_DAYS), "5个工作日", id="working-days"),
        pytest.param(Period(10, Unit.DAYS), "10日", id="days"),
        pytest.param(Period(6, Unit.MONTHS), "6个月", id="months"),
        pytest.param(Period(24, Unit.HOURS), "24小时", id="hours"),
    ],
)
def test_label_zh(period: Period, label: str) -> None:
    assert period.label_zh == label


@pytest.mark.parametrize(
    "amount",
    [
        pytest.param(0, id="zero"),
        pytest.param(-3, id="negative"),
        pytest.param(True, id="bool"),
        pytest.param(1.5, id="float"),
    ],
)
def test_amount_must_be_a_positive_integer(amount: object) -> None:
    with pytest.raises(InvalidPeriodError, match="期间必须为正整数") as excinfo:
        Period(amount, Unit.DAYS)  # type: ignore[arg-type]
    assert excinfo.value.amount == amount


def test_unit_given_as_its_string_value_is_stored_as_the_enum() -> None:
    period = Period(5, "working_days")  # type: ignore[arg-type]
    assert period.unit is Unit.WORKING_DAYS
    assert period == Period(5, Unit.WORKING_DAYS)


def test_unknown_unit_is_rejected() -> None:
    with pytest.raises(ValueError, match="fortnights"):
        Period(1, "fortnights")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "working"),
    [
        pytest.param(DayKind.WORKDAY, True, id="workday"),
        pytest.param(DayKind.MAKEUP_WORKDAY, True, id="makeup-workday"),
        pytest.param(DayKind.REST_DAY, False, id="rest-day"),
        pytest.param(DayKind.HOLIDAY, False, id="holiday"),
    ],
)
def test_day_kind_is_working(kind: DayKind, working: bool) -> None:
    assert kind.is_working is working
    assert kind.label_zh
