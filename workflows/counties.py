"""Turns a county profile (routing data) into what the engine reads: names and document
prefixes for notices, internal units per procedure, and the typed settings (periods,
thresholds, routing) the procedures' guards and timers use."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType

from engine.deadlines import Period, Unit
from engine.domain.copies import copied
from engine.domain.county import CountyContext, ProcedureSettings, UnknownSetting
from workflows.routing import load_matters, load_profile
from workflows.routing.model import PeriodSpec, RoutingTable
from workflows.routing.profile import CountyProfile, CriminalThresholds, WorkKind

# Which kind of work (and so which internal unit) each procedure belongs to.
PROCEDURE_WORK = {
    "wage_arrears": WorkKind.LABOUR_INSPECTION,
    "labour_inspection": WorkKind.LABOUR_INSPECTION,
    "fund_audit": WorkKind.FUND_SUPERVISION,
    "employer_compliance": WorkKind.LABOUR_INSPECTION,
    "arbitration_referral": WorkKind.LABOUR_INSPECTION,
}


class PeriodKey(StrEnum):
    """The periods no national rule fixes, which every county profile sets."""

    PAYMENT_ORDER = "payment_order_period"
    WRITTEN_OPINION = "written_opinion_period"
    RECTIFICATION = "rectification_period"
    DATA_REQUEST = "data_request_period"


@dataclass(frozen=True)
class CountySettings(ProcedureSettings):
    """Everything county-specific the procedures read, typed."""

    routing: RoutingTable
    profile: CountyProfile
    periods: Mapping[PeriodKey, Period]

    @property
    def thresholds(self) -> CriminalThresholds:
        return self.profile.thresholds

    def period(self, key: str) -> Period:
        try:
            return self.periods[PeriodKey(key)]
        except (ValueError, KeyError):
            raise UnknownSetting(key, sorted(self.periods)) from None

    def period_keys(self) -> frozenset[str]:
        return frozenset(str(k) for k in self.periods)

    def department_names(self) -> Mapping[str, str]:
        return {k: self.profile.department_name(k) for k in self.profile.catalogue}

    def with_department_names(self, names: Mapping[str, str]) -> CountySettings:
        if not names:
            return self
        merged = MappingProxyType({**self.profile.department_names, **names})
        return replace(self, profile=replace(self.profile, department_names=merged))

    def with_department_names_from(self, load: Callable[[], Mapping[str, str]]) -> CountySettings:
        names = _RenamedDepartments(self.profile.department_names, load)
        return copied(self, profile=copied(self.profile, department_names=names))


class _RenamedDepartments(Mapping[str, str]):
    """The profile's department names under the admin's renames, which ``load`` reads (in
    the command's own transaction) the first time a name is looked up, and only then."""

    __slots__ = ("_base", "_load", "_merged")

    def __init__(self, base: Mapping[str, str], load: Callable[[], Mapping[str, str]]) -> None:
        self._base = base
        self._load: Callable[[], Mapping[str, str]] | None = load
        self._merged: Mapping[str, str] = base

    def _names(self) -> Mapping[str, str]:
        if self._load is not None:
            renamed = self._load()
            self._load = None
            if renamed:
                self._merged = {**self._base, **renamed}
        return self._merged

    def __getitem__(self, key: str) -> str:
        return self._names()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __contains__(self, key: object) -> bool:
        return key in self._names()


def period(spec: PeriodSpec) -> Period:
    return Period(spec.amount, Unit(str(spec.unit)))


def settings_of(profile: CountyProfile) -> CountySettings:
    p = profile.periods
    return CountySettings(
        routing=load_matters(profile.county_id),
        profile=profile,
        periods={
            PeriodKey.PAYMENT_ORDER: period(p.payment_order),
            PeriodKey.WRITTEN_OPINION: period(p.written_opinion),
            PeriodKey.RECTIFICATION: period(p.rectification),
            PeriodKey.DATA_REQUEST: period(p.data_request),
        },
    )


def county_context(county_id: str) -> CountyContext:
    profile = load_profile(county_id)
    units: dict[str, str] = {}
    for procedure, kind in PROCEDURE_WORK.items():
        try:
            units[procedure] = profile.unit_for(kind).name
        except LookupError:
            continue
    return CountyContext(
        county_id=profile.county_id,
        county_name=profile.name,
        bureau_name=profile.bureau_name,
        bureau_short=profile.bureau_short_name,
        doc_prefixes=dict(profile.doc_prefixes),
        settings=settings_of(profile),
        reconsideration_body=profile.reconsideration_body,
        court=profile.court,
        units=units,
        date_style=profile.date_style,
        fonts=dict(profile.fonts),
        payment={
            "bank": profile.payment.bank,
            "account_name": profile.payment.account_name,
            "account_no": profile.payment.account_no,
            "electronic": profile.payment.electronic,
        },
    )


def department_rows(settings: CountySettings, renamed: Mapping[str, str]) -> list[dict[str, str]]:
    """Each partner department: its key and description, the names the county's boundary
    table records (the seeds' text), the county profile's name, the admin's, and the one
    letters use now."""
    seeds: dict[str, set[str]] = {}
    for matter in settings.routing:
        for party in matter.parties:
            seeds.setdefault(party.department, set()).add(party.name)
    rows = []
    for key, dept in settings.profile.catalogue.items():
        profile_name = settings.profile.department_name(key)
        rows.append(
            {
                "key": key,
                "description": dept.description,
                "seed_names": "、".join(sorted(seeds.get(key, set()))),
                "profile_name": profile_name,
                "admin_name": renamed.get(key, ""),
                "name": renamed.get(key, profile_name),
            }
        )
    return rows
