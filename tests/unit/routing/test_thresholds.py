"""拒不支付劳动报酬罪 "large amount" thresholds (2013 SPC interpretation, art. 3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workflows.routing import CriminalThresholds

D = Decimal
LOW = CriminalThresholds(per_worker_yuan=D(5000), total_yuan=D(30000))
HIGH = CriminalThresholds(
    per_worker_yuan=D(20000), total_yuan=D(100000), confirmed=True, source="test"
)


def many(count: int, months: int, amount: str) -> list[tuple[int, Decimal]]:
    return [(months, D(amount))] * count


@pytest.mark.parametrize(
    ("thresholds", "workers", "met"),
    [
        # one worker: both three months and the per-worker figure
        (LOW, [(3, D(5000))], True),
        (LOW, [(3, D("4999.99"))], False),
        (LOW, [(2, D(50000))], False),
        (LOW, [(12, D(5000))], True),
        (HIGH, [(3, D(20000))], True),
        (HIGH, [(3, D("19999.99"))], False),
        (LOW, [(1, D(100)), (4, D(6000))], True),
        # ten or more workers and the total figure
        (LOW, many(10, 1, "3000"), True),
        (LOW, many(9, 1, "3333.34"), False),
        (LOW, many(10, 1, "2999.99"), False),
        (LOW, [*many(10, 2, "2999.99"), (1, D("0.10"))], True),
        (HIGH, many(10, 1, "10000"), True),
        (HIGH, many(20, 1, "4999.99"), False),
        # workers owed nothing do not count towards the ten
        (LOW, [*many(9, 1, "4000"), (3, D(0))], False),
        (LOW, [], False),
    ],
)
def test_is_met(
    thresholds: CriminalThresholds, workers: list[tuple[int, Decimal]], met: bool
) -> None:
    assert thresholds.is_met(workers)[0] is met


def test_reasons_name_the_rule_and_the_figures() -> None:
    met, reason = LOW.is_met([(1, D(100)), (4, D("6000.50"))])
    assert met
    assert "第2名劳动者" in reason
    assert "6000.50元" in reason
    assert "3个月以上且数额5000元以上" in reason
    assert "默认值" not in reason and "尚未核实" not in reason  # the UI's caveat, not printed

    met, reason = HIGH.is_met(many(12, 1, "9000"))
    assert met
    assert "劳动者12名，累计108000元" in reason
    assert "10名以上劳动者且累计数额100000元以上" in reason
    assert "默认值" not in reason

    met, reason = LOW.is_met(many(3, 1, "1000"))
    assert not met
    assert reason.startswith("未达到“数额较大”标准")
    assert "3名、累计3000元" in reason


def test_wage_arrears_worked_example_meets_any_province_figure() -> None:
    # Ding'an item 15: 72 workers, 1,050,000 yuan admitted.
    share = D(1_050_000) / 72
    assert HIGH.is_met(many(72, 2, str(share)))[0]


def test_negative_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="worker 1"):
        LOW.is_met([(-1, D(100))])
    with pytest.raises(ValueError, match="worker 2"):
        LOW.is_met([(1, D(100)), (1, D(-5))])
