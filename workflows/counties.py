"""Turns a county profile (routing data) into what the service layer reads: names and
document prefixes for notices, internal units per procedure, and the settings (periods,
thresholds) the procedures' guards and timers use."""

from __future__ import annotations

from typing import Any

from engine.deadlines import Period, Unit
from engine.service.county import CountyContext
from workflows.routing import load_matters, load_profile
from workflows.routing.model import PeriodSpec
from workflows.routing.profile import CountyProfile, WorkKind

# Which kind of work (and so which internal unit) each procedure belongs to.
PROCEDURE_WORK = {
    "wage_arrears": WorkKind.LABOUR_INSPECTION,
    "labour_inspection": WorkKind.LABOUR_INSPECTION,
    "fund_audit": WorkKind.FUND_SUPERVISION,
    "employer_compliance": WorkKind.LABOUR_INSPECTION,
    "arbitration_referral": WorkKind.LABOUR_INSPECTION,
}


def period(spec: PeriodSpec) -> Period:
    return Period(spec.amount, Unit(str(spec.unit)))


def settings_of(profile: CountyProfile) -> dict[str, Any]:
    p = profile.periods
    return {
        "routing": load_matters(profile.county_id),
        "payment_order_period": period(p.payment_order),
        "written_opinion_period": period(p.written_opinion),
        "rectification_period": period(p.rectification),
        "data_request_period": period(p.data_request),
        "criminal_thresholds": profile.thresholds,
        "profile": profile,
    }


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
        doc_prefixes={str(k): v for k, v in profile.doc_prefixes.items()},
        settings=settings_of(profile),
        reconsideration_body=profile.reconsideration_body,
        court=profile.court,
        units=units,
    )
