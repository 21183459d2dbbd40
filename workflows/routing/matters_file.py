"""Parsing and checking a county's boundary table (``data/matters/<county>.toml``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from workflows.routing._fields import choice, department_ref, period
from workflows.routing._toml import Table, parse_text
from workflows.routing.departments import load_departments
from workflows.routing.model import (
    BUREAU,
    Department,
    Matter,
    MatterParty,
    ProcedureId,
    Referral,
    ReferralKind,
    RoutingTable,
)


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
    root = Table(parse_text(text, source_name), source_name, "文件")
    matters: list[Matter] = []
    seen_ids: dict[str, int] = {}
    seen_numbers: dict[int, str] = {}
    for position, table in enumerate(root.tables("matters", "第{n}个事项"), start=1):
        matter_id = table.slug("id")
        table.entry = f"第{position}个事项（id = {matter_id}）"
        if matter_id in seen_ids:
            table.fail(f"事项 id“{matter_id}”与第{seen_ids[matter_id]}个事项重复")
        seen_ids[matter_id] = position
        matter = _parse_matter(table, matter_id, catalogue, unit_ids)
        if matter.number in seen_numbers:
            table.fail(f"序号 {matter.number} 与事项“{seen_numbers[matter.number]}”重复")
        seen_numbers[matter.number] = matter_id
        matters.append(matter)
    root.close()
    return RoutingTable(county_id=county_id, source=source_name, entries=tuple(matters))


def _parse_matter(
    table: Table,
    matter_id: str,
    catalogue: Mapping[str, Department],
    unit_ids: Collection[str] | None,
) -> Matter:
    number = table.integer("number", minimum=1)
    title = table.text("title")
    procedures = tuple(
        choice(table, "procedures", value, ProcedureId)
        for value in table.text_list("procedures", default=())
    )
    if len(set(procedures)) != len(procedures):
        table.fail("字段“procedures”中有重复的程序")
    internal_unit = table.optional_text("internal_unit")
    if internal_unit is not None and unit_ids is not None and internal_unit not in unit_ids:
        table.fail(f"承办单位“{internal_unit}”不是本县县情配置中的单位（[[units]] 的 id）")
    legal_basis = table.text_list("legal_basis", default=())
    example = table.optional_text("example")

    parties: list[MatterParty] = []
    party_entry = f"事项“{matter_id}”的第{{n}}个相关部门"
    for party_table in table.tables("parties", party_entry):
        key = department_ref(party_table, "department", catalogue)
        if any(party.department == key for party in parties):
            party_table.fail(f"部门“{key}”在本事项中重复出现")
        parties.append(
            MatterParty(
                department=key,
                name=party_table.text("name"),
                duty=party_table.text("duty"),
                legal_basis=party_table.text_list("legal_basis", default=()),
                example=party_table.optional_text("example"),
            )
        )
        party_table.close()
    if not any(party.department == BUREAU for party in parties):
        table.fail(f'相关部门中没有本局（department = "{BUREAU}"）')

    party_keys = {party.department for party in parties}
    referrals: list[Referral] = []
    referral_entry = f"事项“{matter_id}”的第{{n}}个移送（referrals）"
    for referral_table in table.tables("referrals", referral_entry, default_empty=True):
        referral = _parse_referral(referral_table, catalogue, party_keys)
        if any(existing.to == referral.to for existing in referrals):
            referral_table.fail(f"对部门“{referral.to}”的移送重复")
        referrals.append(referral)
    table.close()
    return Matter(
        id=matter_id,
        number=number,
        title=title,
        parties=tuple(parties),
        referrals=tuple(referrals),
        procedures=procedures,
        internal_unit=internal_unit,
        legal_basis=legal_basis,
        example=example,
    )


def _parse_referral(
    table: Table, catalogue: Mapping[str, Department], party_keys: Collection[str]
) -> Referral:
    target = department_ref(table, "to", catalogue)
    if target == BUREAU:
        table.fail("不能移送给本局自己")
    outside_table = table.flag("outside_table")
    source = table.optional_text("source")
    if target not in party_keys and not outside_table:
        table.fail(
            f"移送对象“{target}”不是本事项的相关部门；确需移送表外部门的，"
            "请写 outside_table = true 并在 source 中写明出处"
        )
    if outside_table and source is None:
        table.fail("outside_table = true 时必须在 source 中写明出处")
    response_table = table.optional_table("response", f"{table.entry}的答复期限（response）")
    response = None
    if response_table is not None:
        response = period(response_table, "amount", "unit", "basis")
        response_table.close()
    referral = Referral(
        to=target,
        kind=choice(table, "kind", table.text("kind"), ReferralKind),
        reason=table.text("reason"),
        response=response,
        outside_table=outside_table,
        source=source,
    )
    table.close()
    return referral
