"""What the engine knows of the county it serves: the bureau's names for documents, the
document-number prefixes per family, the internal units per procedure, and the settings
(periods, thresholds, routing) the procedures read — typed, so a setting that does not
exist is an error, never a silent default."""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from engine.deadlines import Period


class DocFamily(StrEnum):
    """Families of numbered documents; each has its own county-configurable prefix."""

    INSPECTION = "inspection"
    DECISION = "decision"
    FUND_SUPERVISION = "fund_supervision"
    TRANSFER = "transfer"


class UnknownSetting(LookupError):
    """A procedure asked for a setting the county does not configure (a developer error:
    the registry checks every declared setting against the county when it loads)."""

    def __init__(self, key: str, known: list[str]) -> None:
        super().__init__(f"unknown county setting {key!r}; the county configures: {known}")
        self.key = key


class ProcedureSettings(abc.ABC):
    """The county settings a procedure's guards, effects and timers may read. The domain
    only needs the configurable periods; `workflows` adds its typed routing data."""

    @abc.abstractmethod
    def period(self, key: str) -> Period:
        """The county's period for ``key``; UnknownSetting when it configures none."""

    @abc.abstractmethod
    def period_keys(self) -> frozenset[str]: ...

    def department_names(self) -> Mapping[str, str]:
        """Every partner department the county knows: key → the name letters use."""
        return {}

    def with_department_names(self, names: Mapping[str, str]) -> ProcedureSettings:
        """These settings with the admin's current names of departments (key → name)."""
        return self

    def with_department_names_from(
        self, load: Callable[[], Mapping[str, str]]
    ) -> ProcedureSettings:
        """These settings with the admin's names as ``load`` returns them, read only when
        a name is looked up (most commands name no department: no read for them)."""
        return self.with_department_names(load())


class NoSettings(ProcedureSettings):
    """Settings of a county that configures nothing (tests of the procedure model)."""

    def period(self, key: str) -> Period:
        raise UnknownSetting(key, [])

    def period_keys(self) -> frozenset[str]:
        return frozenset()


@dataclass(frozen=True)
class CountyContext:
    county_id: str
    county_name: str
    bureau_name: str
    bureau_short: str
    doc_prefixes: Mapping[DocFamily, str]
    settings: ProcedureSettings = field(default_factory=NoSettings)
    reconsideration_body: str = ""
    court: str = ""
    units: Mapping[str, str] = field(default_factory=dict)
    """procedure → internal unit name (e.g. "wage_arrears" → 县劳动保障监察大队)."""
    date_style: str = "arabic"
    """成文日期 style: "arabic" (2026年3月13日, GB/T 9704-2012) or "chinese" (二〇二六年…)."""
    fonts: Mapping[str, str] = field(default_factory=dict)
    """The office's own faces for documents, tried first: "body" (仿宋-like), "title"."""
    payment: Mapping[str, str] = field(default_factory=dict)
    """Where fines are paid, as the penalty decision prints it (行政处罚法 art. 59, 67):
    bank, account_name, account_no, electronic ("" when there is no electronic way)."""

    def doc_prefix(self, family: DocFamily) -> str:
        return self.doc_prefixes.get(family) or self.bureau_short

    def document_prefix(self, family: DocFamily, abbrev: str) -> str:
        return f"{self.doc_prefix(family)}{abbrev}"

    def unit_for(self, procedure: str, fallback: str) -> str:
        return self.units.get(procedure, fallback)
