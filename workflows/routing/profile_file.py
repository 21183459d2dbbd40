"""Parsing and checking a county profile (``data/profiles/<county>.toml``)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from engine.domain.county import DocFamily
from workflows.routing._fields import choice, period
from workflows.routing._toml import Table, parse_text
from workflows.routing.departments import DEPARTMENTS_FILE, load_departments
from workflows.routing.model import Department, PeriodSpec
from workflows.routing.profile import (
    CountyProfile,
    CriminalThresholds,
    DefaultPeriods,
    Unit,
    WorkKind,
)

PER_WORKER_RANGE = (Decimal(5000), Decimal(20000))
TOTAL_RANGE = (Decimal(30000), Decimal(100000))
STATUTORY_MIN_WORKERS = 10
STATUTORY_MIN_MONTHS = 3


def parse_profile(
    text: str, source_name: str, *, departments: Mapping[str, Department] | None = None
) -> CountyProfile:
    catalogue = load_departments() if departments is None else departments
    root = Table(parse_text(text, source_name), source_name, "文件")

    county = root.table("county", "[county]")
    county_id, name, province = county.slug("id"), county.text("name"), county.text("province")
    county.close()
    bureau = root.table("bureau", "[bureau]")
    bureau_name, short_name = bureau.text("name"), bureau.text("short_name")
    bureau.close()

    units = _parse_units(root)
    names = _parse_department_names(root.table("departments", "[departments]"), catalogue)
    prefixes = _parse_doc_prefixes(root.table("doc_prefixes", "[doc_prefixes]"))

    remedies = root.table("remedies", "[remedies]")
    reconsideration_body, court = remedies.text("reconsideration_body"), remedies.text("court")
    remedies.close()

    thresholds = _parse_thresholds(root.table("criminal_thresholds", "[criminal_thresholds]"))
    periods = _parse_periods(root.table("periods", "[periods]"))
    root.close()
    return CountyProfile(
        county_id=county_id,
        name=name,
        province=province,
        bureau_name=bureau_name,
        bureau_short_name=short_name,
        units=units,
        department_names=names,
        doc_prefixes=prefixes,
        reconsideration_body=reconsideration_body,
        court=court,
        thresholds=thresholds,
        periods=periods,
        catalogue=catalogue,
    )


def _parse_units(root: Table) -> tuple[Unit, ...]:
    units: list[Unit] = []
    handled_by: dict[WorkKind, str] = {}
    for position, table in enumerate(root.tables("units", "第{n}个单位（[[units]]）"), start=1):
        unit_id = table.slug("id")
        table.entry = f"第{position}个单位（id = {unit_id}）"
        if any(unit.id == unit_id for unit in units):
            table.fail(f"单位 id“{unit_id}”重复")
        handles = tuple(
            choice(table, "handles", value, WorkKind)
            for value in table.text_list("handles", default=())
        )
        for kind in handles:
            if kind in handled_by:
                table.fail(f"工作类别“{kind}”已由单位“{handled_by[kind]}”承办，每类只能有一个单位")
            handled_by[kind] = unit_id
        units.append(
            Unit(
                id=unit_id,
                name=table.text("name"),
                phone=table.text("phone", allow_empty=True),
                handles=handles,
                source=table.optional_text("source") or "",
            )
        )
        table.close()
    return tuple(units)


def _parse_department_names(table: Table, catalogue: Mapping[str, Department]) -> Mapping[str, str]:
    names: dict[str, str] = {}
    for key in table.data:
        if key not in catalogue:
            table.fail(f"引用了未登记的部门“{key}”（{DEPARTMENTS_FILE} 中没有这个键）")
        names[key] = table.text(key)
    table.close()
    return MappingProxyType(names)


def _parse_doc_prefixes(table: Table) -> Mapping[DocFamily, str]:
    prefixes = {family: table.text(family.value) for family in DocFamily}
    table.close()
    return MappingProxyType(prefixes)


def _parse_thresholds(table: Table) -> CriminalThresholds:
    per_worker = Decimal(table.integer("per_worker_yuan"))
    total = Decimal(table.integer("total_yuan"))
    low, high = PER_WORKER_RANGE
    if not low <= per_worker <= high:
        table.fail(
            f"per_worker_yuan 应在 {low}–{high} 元之间（司法解释第三条），实际为 {per_worker}"
        )
    low, high = TOTAL_RANGE
    if not low <= total <= high:
        table.fail(f"total_yuan 应在 {low}–{high} 元之间（司法解释第三条），实际为 {total}")
    min_workers = table.integer("min_workers")
    min_months = table.integer("min_months")
    if min_workers != STATUTORY_MIN_WORKERS or min_months != STATUTORY_MIN_MONTHS:
        table.fail(
            f"min_workers 和 min_months 由司法解释第三条规定，应分别为 {STATUTORY_MIN_WORKERS} "
            f"和 {STATUTORY_MIN_MONTHS}"
        )
    thresholds = CriminalThresholds(
        per_worker_yuan=per_worker,
        total_yuan=total,
        min_workers=min_workers,
        min_months=min_months,
        confirmed=table.flag("confirmed"),
        source=table.text("source"),
    )
    table.close()
    return thresholds


def _parse_periods(table: Table) -> DefaultPeriods:
    def named(name: str) -> PeriodSpec:
        return period(table, f"{name}_days", f"{name}_unit", f"{name}_basis")

    periods = DefaultPeriods(
        payment_order=named("payment_order"),
        written_opinion=named("written_opinion"),
        rectification=named("rectification"),
        data_request=named("data_request"),
    )
    table.close()
    return periods
