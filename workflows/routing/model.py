"""The boundary-table model: partner departments, matters, their parties and referrals.

A *matter* (管理事项) is one row group of a county's boundary table (职责边界表): the bureau and
the partner departments involved, each one's duty, the legal basis and the worked example
(案例), plus what the bureau may do with a case of this matter: which caseflow procedures
handle it, which bureau unit does the work, and to which departments it may refer a case.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from workflows.routing.errors import RoutingLookupError

BUREAU = "bureau"
"""Department key of the HR bureau itself."""


class PeriodUnit(StrEnum):
    """How a period is counted (the engine's statutory clock implements each)."""

    WORKING_DAYS = "working_days"
    DAYS = "days"
    MONTHS = "months"
    HOURS = "hours"


class ReferralKind(StrEnum):
    """What a referral is, which decides the letter the bureau writes."""

    CRIMINAL = "criminal"
    """Transfer of a suspected crime (涉嫌犯罪案件移送书)."""
    ADMINISTRATIVE = "administrative"
    """Transfer or notice to an authority that acts within its own powers (移送函、通报函)."""
    ADVISE_PARTY = "advise_party"
    """The bureau tells the party to apply to that body (告知书)."""
    COORDINATION = "coordination"
    """Hand-over or joint work between departments (工作联系函)."""


class ProcedureId(StrEnum):
    """caseflow procedures a matter can be handled by."""

    WAGE_ARREARS = "wage_arrears"
    LABOUR_INSPECTION = "labour_inspection"
    FUND_AUDIT = "fund_audit"


class PeriodSpec(NamedTuple):
    """A period as data: ``(amount, unit, basis)``; ``unit`` compares equal to its string."""

    amount: int
    unit: PeriodUnit
    basis: str


@dataclass(frozen=True)
class Department:
    """A partner department in the catalogue (departments.toml)."""

    key: str
    description: str
    default_name: str


@dataclass(frozen=True)
class MatterParty:
    """One department's role in a matter, as the seed writes it."""

    department: str
    name: str
    duty: str
    legal_basis: tuple[str, ...] = ()
    example: str | None = None


@dataclass(frozen=True)
class WorkedExample:
    """A worked example (案例); ``department`` is the party whose row holds it, if any."""

    text: str
    department: str | None


@dataclass(frozen=True)
class Referral:
    """A department the bureau may refer a case of a matter to, and why.

    ``outside_table`` marks a target that is not a party of the matter in the boundary table
    (``source`` says where the referral comes from instead).
    """

    to: str
    kind: ReferralKind
    reason: str
    response: PeriodSpec | None = None
    outside_table: bool = False
    source: str | None = None


@dataclass(frozen=True)
class Matter:
    """One matter of a county's boundary table."""

    id: str
    number: int
    title: str
    parties: tuple[MatterParty, ...]
    referrals: tuple[Referral, ...] = ()
    procedures: tuple[ProcedureId, ...] = ()
    internal_unit: str | None = None
    legal_basis: tuple[str, ...] = ()
    """Legal basis given for the matter as a whole (not on one department's row)."""
    example: str | None = None
    """Worked example given for the matter as a whole (not on one department's row)."""

    def department_keys(self) -> tuple[str, ...]:
        return tuple(party.department for party in self.parties)

    def party(self, department: str) -> MatterParty:
        for party in self.parties:
            if party.department == department:
                return party
        raise RoutingLookupError(
            f"事项“{self.title}”没有相关部门“{department}”",
            matter=self.id,
            department=department,
        )

    def all_legal_basis(self) -> tuple[str, ...]:
        """Every citation of the matter and its parties, first occurrence first."""
        cited = list(self.legal_basis)
        for party in self.parties:
            cited.extend(party.legal_basis)
        return tuple(dict.fromkeys(cited))

    def examples(self) -> tuple[WorkedExample, ...]:
        found = [WorkedExample(self.example, None)] if self.example else []
        found.extend(
            WorkedExample(party.example, party.department)
            for party in self.parties
            if party.example
        )
        return tuple(found)

    def referral_to(self, department: str) -> Referral | None:
        for referral in self.referrals:
            if referral.to == department:
                return referral
        return None


@dataclass(frozen=True)
class RoutingTable:
    """All matters of one county's boundary table, in the seed's order."""

    county_id: str
    source: str
    entries: tuple[Matter, ...]
    _by_id: Mapping[str, Matter] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = MappingProxyType({matter.id: matter for matter in self.entries})
        object.__setattr__(self, "_by_id", by_id)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Matter]:
        return iter(self.entries)

    def __contains__(self, matter_id: object) -> bool:
        return matter_id in self._by_id

    def matters(self) -> tuple[Matter, ...]:
        return self.entries

    def matter(self, matter_id: str) -> Matter:
        try:
            return self._by_id[matter_id]
        except KeyError:
            raise RoutingLookupError(
                f"{self.source} 中没有事项“{matter_id}”；已有事项：{'、'.join(self._by_id)}",
                county=self.county_id,
                matter=matter_id,
            ) from None

    def matters_for_procedure(self, procedure: ProcedureId | str) -> tuple[Matter, ...]:
        return tuple(m for m in self.entries if procedure in m.procedures)

    def referral_targets(self, matter_id: str) -> tuple[str, ...]:
        """Department keys the bureau may refer a case of this matter to, in data order."""
        return tuple(referral.to for referral in self.matter(matter_id).referrals)

    def referral(self, matter_id: str, department: str) -> Referral:
        found = self.matter(matter_id).referral_to(department)
        if found is None:
            raise RoutingLookupError(
                f"事项“{matter_id}”不能移送给部门“{department}”",
                county=self.county_id,
                matter=matter_id,
                department=department,
            )
        return found

    def may_refer(self, matter_id: str, department: str) -> bool:
        return self.matter(matter_id).referral_to(department) is not None
