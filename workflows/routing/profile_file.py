"""A county profile (``data/profiles/<county>.toml``): its file schema, the rules between
entries, and the conversion into the CountyProfile."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import AfterValidator, ValidationInfo, field_validator

from engine.domain.county import DocFamily
from workflows.routing._schema import (
    Choice,
    FileModel,
    Loc,
    Positive,
    Slug,
    Tables,
    Text,
    TextList,
    item_id,
    parse_toml,
    rule_error,
    validate_file,
)
from workflows.routing.departments import DepartmentKey, load_departments
from workflows.routing.model import Department, PeriodSpec, PeriodUnit
from workflows.routing.profile import (
    CountyProfile,
    CriminalThresholds,
    DefaultPeriods,
    FinePayment,
    Unit,
    WorkKind,
)

FONT_NAME = re.compile(r"[^\W\d][\w \-]{0,63}")
PER_WORKER_RANGE = (5000, 20000)
TOTAL_RANGE = (30000, 100000)
STATUTORY_MIN_WORKERS = 10
STATUTORY_MIN_MONTHS = 3


class CountyEntry(FileModel):
    id: Slug
    name: Text
    province: Text


class BureauEntry(FileModel):
    name: Text
    short_name: Text


class UnitEntry(FileModel):
    """``[[units]]``: a unit of the bureau and the kinds of work it handles."""

    id: Slug
    name: Text
    phone: str
    """May be empty: not every unit's number is known."""
    handles: TextList[Choice[WorkKind]] = ()
    source: Text | None = None


class DocPrefixesEntry(FileModel):
    """One prefix per DocFamily (a test keeps the two in step)."""

    inspection: Text
    decision: Text
    fund_supervision: Text
    transfer: Text


class HeadEntry(FileModel):
    """A user who acts as the bureau's 负责人 under another title (a 分管副局长 the bureau
    authorised to decide): signs with that title."""

    user: Text
    title: Text


class RemediesEntry(FileModel):
    reconsideration_body: Text
    court: Text


class PaymentEntry(FileModel):
    """Where a fine is paid (行政处罚法 art. 59(1)(4), art. 67: 罚缴分离, paid to the bank
    or the electronic payment system the decision names)."""

    bank: Text
    account_name: Text
    account_no: Text
    electronic: str = ""
    """How to pay electronically (e.g. the province's non-tax payment platform); "" none."""


def _font_name(value: str) -> str:
    if value and not FONT_NAME.fullmatch(value):
        raise rule_error("字体名称只能由汉字、字母、数字、空格、下划线和横线组成，且不能以数字开头")
    return value


FontName = Annotated[str, AfterValidator(_font_name)]


class DocumentEntry(FileModel):
    """How documents look (GB/T 9704-2012 where it applies)."""

    date_style: Literal["arabic", "chinese"] = "arabic"
    body_font: FontName = ""
    title_font: FontName = ""


class ThresholdsEntry(FileModel):
    """The 2013 SPC interpretation, art. 3: the province picks both figures in a range; the
    worker count and the months are the interpretation's own."""

    per_worker_yuan: int
    total_yuan: int
    min_workers: int
    min_months: int
    confirmed: bool = False
    source: Text

    @field_validator("per_worker_yuan", "total_yuan")
    @classmethod
    def _within_the_range(cls, value: int, info: ValidationInfo) -> int:
        low, high = PER_WORKER_RANGE if info.field_name == "per_worker_yuan" else TOTAL_RANGE
        if not low <= value <= high:
            raise rule_error(
                f"{info.field_name} 应在 {low}–{high} 元之间（司法解释第三条），实际为 {value}"
            )
        return value

    @field_validator("min_workers", "min_months")
    @classmethod
    def _fixed_by_statute(cls, value: int, info: ValidationInfo) -> int:
        fixed = STATUTORY_MIN_WORKERS if info.field_name == "min_workers" else STATUTORY_MIN_MONTHS
        if value != fixed:
            raise rule_error(
                f"min_workers 和 min_months 由司法解释第三条规定，应分别为 {STATUTORY_MIN_WORKERS} "
                f"和 {STATUTORY_MIN_MONTHS}"
            )
        return value


class PeriodsEntry(FileModel):
    """``<name>_days``, ``<name>_unit`` and ``<name>_basis`` of each DefaultPeriods field."""

    payment_order_days: Positive
    payment_order_unit: Choice[PeriodUnit]
    payment_order_basis: Text
    written_opinion_days: Positive
    written_opinion_unit: Choice[PeriodUnit]
    written_opinion_basis: Text
    rectification_days: Positive
    rectification_unit: Choice[PeriodUnit]
    rectification_basis: Text
    data_request_days: Positive
    data_request_unit: Choice[PeriodUnit]
    data_request_basis: Text

    def spec(self, name: str) -> PeriodSpec:
        return PeriodSpec(
            amount=getattr(self, f"{name}_days"),
            unit=getattr(self, f"{name}_unit"),
            basis=getattr(self, f"{name}_basis"),
        )


class ProfileFile(FileModel):
    """The whole of a county profile."""

    county: CountyEntry
    bureau: BureauEntry
    units: Tables[UnitEntry]
    departments: dict[DepartmentKey, Text]
    """The county's own name for each department it names."""
    doc_prefixes: DocPrefixesEntry
    remedies: RemediesEntry
    payment: PaymentEntry
    document: DocumentEntry = DocumentEntry()
    criminal_thresholds: ThresholdsEntry
    periods: PeriodsEntry
    heads: Tables[HeadEntry] = ()
    """Optional: deputy heads acting as 负责人, with their titles."""

    @field_validator("units")
    @classmethod
    def _ids_and_kinds_once(cls, units: tuple[UnitEntry, ...]) -> tuple[UnitEntry, ...]:
        seen: set[str] = set()
        handled_by: dict[WorkKind, str] = {}
        for index, unit in enumerate(units):
            if unit.id in seen:
                raise rule_error(f"单位 id“{unit.id}”重复", index)
            seen.add(unit.id)
            for kind in unit.handles:
                if kind in handled_by:
                    raise rule_error(
                        f"工作类别“{kind}”已由单位“{handled_by[kind]}”承办，每类只能有一个单位",
                        index,
                    )
                handled_by[kind] = unit.id
        return units


_SECTIONS = frozenset(ProfileFile.model_fields) - {"units"}


def _entry(loc: Loc, document: Mapping[str, object]) -> tuple[str, int]:
    """Names the section or unit a location falls in."""
    match loc:
        case ("units", int(n), *_):
            unit_id = item_id(document, "units", n)
            where = f"id = {unit_id}" if unit_id else "[[units]]"
            return f"第{n + 1}个单位（{where}）", 2
        case (str(section), *_) if section in _SECTIONS:
            return f"[{section}]", 1
    return "文件", 0


def parse_profile(
    text: str, source_name: str, *, departments: Mapping[str, Department] | None = None
) -> CountyProfile:
    catalogue = load_departments() if departments is None else departments
    document = parse_toml(text, source_name)
    parsed = validate_file(ProfileFile, document, source_name, _entry, {"catalogue": catalogue})
    county, bureau, remedies = parsed.county, parsed.bureau, parsed.remedies
    return CountyProfile(
        county_id=county.id,
        name=county.name,
        province=county.province,
        bureau_name=bureau.name,
        bureau_short_name=bureau.short_name,
        units=tuple(_unit_of(unit) for unit in parsed.units),
        department_names=MappingProxyType(dict(parsed.departments)),
        doc_prefixes=MappingProxyType(
            {family: getattr(parsed.doc_prefixes, family.value) for family in DocFamily}
        ),
        reconsideration_body=remedies.reconsideration_body,
        court=remedies.court,
        date_style=parsed.document.date_style,
        fonts=MappingProxyType(
            {"body": parsed.document.body_font, "title": parsed.document.title_font}
        ),
        payment=FinePayment(
            bank=parsed.payment.bank,
            account_name=parsed.payment.account_name,
            account_no=parsed.payment.account_no,
            electronic=parsed.payment.electronic,
        ),
        thresholds=_thresholds_of(parsed.criminal_thresholds),
        periods=DefaultPeriods(
            payment_order=parsed.periods.spec("payment_order"),
            written_opinion=parsed.periods.spec("written_opinion"),
            rectification=parsed.periods.spec("rectification"),
            data_request=parsed.periods.spec("data_request"),
        ),
        catalogue=catalogue,
        head_titles=MappingProxyType({h.user: h.title for h in parsed.heads}),
    )


def _unit_of(entry: UnitEntry) -> Unit:
    return Unit(
        id=entry.id,
        name=entry.name,
        phone=entry.phone,
        handles=entry.handles,
        source=entry.source or "",
    )


def _thresholds_of(entry: ThresholdsEntry) -> CriminalThresholds:
    return CriminalThresholds(
        per_worker_yuan=Decimal(entry.per_worker_yuan),
        total_yuan=Decimal(entry.total_yuan),
        min_workers=entry.min_workers,
        min_months=entry.min_months,
        confirmed=entry.confirmed,
        source=entry.source,
    )
