"""Loading the routing data shipped in ``workflows/routing/data``.

``parse_*`` (in ``departments``, ``matters_file``, ``profile_file``) take TOML text and a
source name used in error messages, and check it against the file's pydantic models;
``load_*`` read the packaged files through ``importlib.resources`` and parse them.
"""

from __future__ import annotations

from workflows.routing._schema import SLUG
from workflows.routing.departments import data_dir
from workflows.routing.errors import RoutingDataError, RoutingLookupError
from workflows.routing.matters_file import parse_matters
from workflows.routing.model import RoutingTable
from workflows.routing.profile import CountyProfile
from workflows.routing.profile_file import parse_profile


def available_counties() -> list[str]:
    """Counties that ship both a profile and a boundary table, sorted."""

    def stems(kind: str) -> set[str]:
        found = (p.name for p in (data_dir() / kind).iterdir() if p.is_file())
        return {name.removesuffix(".toml") for name in found if name.endswith(".toml")}

    return sorted(c for c in stems("profiles") & stems("matters") if SLUG.match(c))


def _county_file(kind: str, county_id: str) -> tuple[str, str]:
    known = available_counties()
    if county_id not in known:
        raise RoutingLookupError(
            f"没有县“{county_id}”的路由数据；可用：{'、'.join(known)}", county=county_id
        )
    name = f"{kind}/{county_id}.toml"
    return (data_dir() / kind / f"{county_id}.toml").read_text(encoding="utf-8"), name


def load_profile(county_id: str) -> CountyProfile:
    text, source = _county_file("profiles", county_id)
    profile = parse_profile(text, source)
    if profile.county_id != county_id:
        raise RoutingDataError(
            source, "[county]", f"id 应为“{county_id}”（与文件名一致），实际为“{profile.county_id}”"
        )
    return profile


def load_matters(county_id: str) -> RoutingTable:
    """The county's boundary table; ``internal_unit`` is checked against its profile."""
    profile = load_profile(county_id)
    text, source = _county_file("matters", county_id)
    return parse_matters(
        text,
        source,
        county_id=county_id,
        departments=profile.catalogue,
        unit_ids={unit.id for unit in profile.units},
    )
