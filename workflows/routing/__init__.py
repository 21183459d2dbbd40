"""Routing data of caseflow: partner departments, each county's boundary table (职责边界表)
and county profile, loaded from TOML shipped in ``workflows/routing/data``.

Pure (no I/O beyond reading the packaged data; the file schemas are pydantic models).
``load_matters("dingan").may_refer("wage_arrears", "police")``.
"""

from __future__ import annotations

from engine.domain.county import DocFamily
from workflows.routing.departments import load_departments, parse_departments
from workflows.routing.errors import RoutingDataError, RoutingLookupError
from workflows.routing.loader import available_counties, load_matters, load_profile
from workflows.routing.matters_file import parse_matters
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
    WorkedExample,
)
from workflows.routing.profile import (
    CountyProfile,
    CriminalThresholds,
    DefaultPeriods,
    Unit,
    WorkKind,
)
from workflows.routing.profile_file import parse_profile

__all__ = [
    "BUREAU",
    "CountyProfile",
    "CriminalThresholds",
    "DefaultPeriods",
    "Department",
    "DocFamily",
    "Matter",
    "MatterParty",
    "PeriodSpec",
    "PeriodUnit",
    "ProcedureId",
    "Referral",
    "ReferralKind",
    "RoutingDataError",
    "RoutingLookupError",
    "RoutingTable",
    "Unit",
    "WorkKind",
    "WorkedExample",
    "available_counties",
    "load_departments",
    "load_matters",
    "load_profile",
    "parse_departments",
    "parse_matters",
    "parse_profile",
]
