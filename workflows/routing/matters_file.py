"""A county's boundary table (``data/matters/<county>.toml``): its file schema, the rules
between entries, and the conversion into the RoutingTable."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Self

from pydantic import ValidationInfo, field_validator, model_validator

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
from workflows.routing.model import (
    BUREAU,
    Department,
    Matter,
    MatterParty,
    PeriodSpec,
    PeriodUnit,
    ProcedureId,
    Referral,
    ReferralKind,
    RoutingTable,
)


class ResponseEntry(FileModel):
    """``response = { amount = …, unit = …, basis = … }`` of a referral."""

    amount: Positive
    unit: Choice[PeriodUnit]
    basis: Text


class PartyEntry(FileModel):
    """``[[matters.parties]]``: one department's row of the matter."""

    department: DepartmentKey
    name: Text
    duty: Text
    legal_basis: TextList[Text] = ()
    example: Text | None = None


class ReferralEntry(FileModel):
    """``[[matters.referrals]]``: where the bureau may send a case of the matter."""

    to: DepartmentKey
    kind: Choice[ReferralKind]
    reason: Text
    response: ResponseEntry | None = None
    outside_table: bool = False
    source: Text | None = None

    @field_validator("to")
    @classmethod
    def _not_the_bureau(cls, to: str) -> str:
        if to == BUREAU:
            raise rule_error("不能移送给本局自己")
        return to

    @model_validator(mode="after")
    def _outside_table_has_source(self) -> Self:
        if self.outside_table and self.source is None:
            raise rule_error("outside_table = true 时必须在 source 中写明出处")
        return self


class MatterEntry(FileModel):
    """``[[matters]]``: one matter of the boundary table."""

    id: Slug
    number: Positive
    title: Text
    procedures: TextList[Choice[ProcedureId]] = ()
    internal_unit: Text | None = None
    legal_basis: TextList[Text] = ()
    example: Text | None = None
    parties: Tables[PartyEntry]
    referrals: Tables[ReferralEntry] = ()

    @field_validator("procedures")
    @classmethod
    def _procedures_once(cls, procedures: tuple[ProcedureId, ...]) -> tuple[ProcedureId, ...]:
        if len(set(procedures)) != len(procedures):
            raise rule_error("字段“procedures”中有重复的程序")
        return procedures

    @field_validator("internal_unit")
    @classmethod
    def _unit_of_the_county(cls, unit: str | None, info: ValidationInfo) -> str | None:
        unit_ids: Collection[str] | None = (info.context or {}).get("unit_ids")
        if unit is not None and unit_ids is not None and unit not in unit_ids:
            raise rule_error(f"承办单位“{unit}”不是本县县情配置中的单位（[[units]] 的 id）")
        return unit

    @field_validator("parties")
    @classmethod
    def _bureau_once(cls, parties: tuple[PartyEntry, ...]) -> tuple[PartyEntry, ...]:
        seen: set[str] = set()
        for index, party in enumerate(parties):
            if party.department in seen:
                raise rule_error(f"部门“{party.department}”在本事项中重复出现", index)
            seen.add(party.department)
        if BUREAU not in seen:
            raise rule_error(f'相关部门中没有本局（department = "{BUREAU}"）')
        return parties

    @field_validator("referrals")
    @classmethod
    def _referrals_to_parties(
        cls, referrals: tuple[ReferralEntry, ...], info: ValidationInfo
    ) -> tuple[ReferralEntry, ...]:
        parties: tuple[PartyEntry, ...] | None = info.data.get("parties")
        party_keys = {party.department for party in parties or ()}
        seen: set[str] = set()
        for index, referral in enumerate(referrals):
            if parties is not None and referral.to not in party_keys and not referral.outside_table:
                raise rule_error(
                    f"移送对象“{referral.to}”不是本事项的相关部门；确需移送表外部门的，"
                    "请写 outside_table = true 并在 source 中写明出处",
                    index,
                )
            if referral.to in seen:
                raise rule_error(f"对部门“{referral.to}”的移送重复", index)
            seen.add(referral.to)
        return referrals


class MattersFile(FileModel):
    """The whole of a county's boundary table."""

    matters: Tables[MatterEntry]

    @field_validator("matters")
    @classmethod
    def _ids_and_numbers_once(cls, matters: tuple[MatterEntry, ...]) -> tuple[MatterEntry, ...]:
        position_of: dict[str, int] = {}
        id_of: dict[int, str] = {}
        for index, matter in enumerate(matters):
            if matter.id in position_of:
                raise rule_error(
                    f"事项 id“{matter.id}”与第{position_of[matter.id]}个事项重复", index
                )
            position_of[matter.id] = index + 1
            if matter.number in id_of:
                raise rule_error(f"序号 {matter.number} 与事项“{id_of[matter.number]}”重复", index)
            id_of[matter.number] = matter.id
        return matters


def _entry(loc: Loc, document: Mapping[str, object]) -> tuple[str, int]:
    """Names the matter, party, referral or response a location falls in."""
    if len(loc) < 2 or loc[0] != "matters" or not isinstance(loc[1], int):
        return "文件", 0
    matter_id = item_id(document, "matters", loc[1])
    match loc[2:]:
        case ("parties", int(n), *_):
            return f"{_matter(loc[1], matter_id)}的第{n + 1}个相关部门", 4
        case ("referrals", int(n), "response", *_):
            return (
                f"{_matter(loc[1], matter_id)}的第{n + 1}个移送（referrals）的答复期限（response）",
                5,
            )
        case ("referrals", int(n), *_):
            return f"{_matter(loc[1], matter_id)}的第{n + 1}个移送（referrals）", 4
    if matter_id is None:
        return f"第{loc[1] + 1}个事项", 2
    return f"第{loc[1] + 1}个事项（id = {matter_id}）", 2


def _matter(index: int, matter_id: str | None) -> str:
    return f"事项“{matter_id}”" if matter_id else f"第{index + 1}个事项"


def parse_matters(
    text: str,
    source_name: str,
    *,
    county_id: str = "",
    departments: Mapping[str, Department] | None = None,
    unit_ids: Collection[str] | None = None,
) -> RoutingTable:
    """Parse a county's boundary table; ``unit_ids`` (the profile's units) checks
    ``internal_unit`` when given."""
    catalogue = load_departments() if departments is None else departments
    document = parse_toml(text, source_name)
    context = {"catalogue": catalogue, "unit_ids": unit_ids}
    parsed = validate_file(MattersFile, document, source_name, _entry, context)
    entries = tuple(_matter_of(entry) for entry in parsed.matters)
    return RoutingTable(county_id=county_id, source=source_name, entries=entries)


def _matter_of(entry: MatterEntry) -> Matter:
    return Matter(
        id=entry.id,
        number=entry.number,
        title=entry.title,
        parties=tuple(
            MatterParty(
                department=p.department,
                name=p.name,
                duty=p.duty,
                legal_basis=p.legal_basis,
                example=p.example,
            )
            for p in entry.parties
        ),
        referrals=tuple(_referral_of(r) for r in entry.referrals),
        procedures=entry.procedures,
        internal_unit=entry.internal_unit,
        legal_basis=entry.legal_basis,
        example=entry.example,
    )


def _referral_of(entry: ReferralEntry) -> Referral:
    response = entry.response
    return Referral(
        to=entry.to,
        kind=entry.kind,
        reason=entry.reason,
        response=None
        if response is None
        else PeriodSpec(amount=response.amount, unit=response.unit, basis=response.basis),
        outside_table=entry.outside_table,
        source=entry.source,
    )
