"""CLI commands on the routing data: `caseflow matters` (the county's boundary table: matters,
departments, referrals) and `caseflow profile show` (the county profile). They read the
shipped data only; no database is needed."""

from __future__ import annotations

import os
from typing import Any

import typer
from rich.table import Table

from engine.deadlines import Period, Unit
from engine.entrypoints.cli._common import (
    JsonOption,
    console,
    fail_message,
    ok,
    print_json,
    reporting,
    settings,
    styled,
)
from workflows.counties import CountySettings, department_rows
from workflows.routing import (
    CountyProfile,
    Matter,
    Referral,
    RoutingDataError,
    RoutingLookupError,
    available_counties,
    load_matters,
    load_profile,
)

profile_app = typer.Typer(help="县情配置", no_args_is_help=True)

KIND_LABELS = {
    "criminal": "涉嫌犯罪移送",
    "administrative": "移送或通报",
    "advise_party": "告知当事人申请",
    "coordination": "工作衔接",
}
DEFAULT_COUNTY = "dingan"

CountyOption = typer.Option(None, "--county", help="县：dingan 或 shuangpai（默认取全局 --county）")


def register(app: typer.Typer) -> None:
    app.command("matters")(matters)
    app.add_typer(profile_app, name="profile")
    app.add_typer(department_app, name="department")


def _county(ctx: typer.Context, county: str | None) -> str:
    return county or settings(ctx).county or os.environ.get("CASEFLOW_COUNTY") or DEFAULT_COUNTY


def _load(county: str, as_json: bool) -> tuple[CountyProfile, Any]:
    try:
        return load_profile(county), load_matters(county)
    except (RoutingLookupError, RoutingDataError) as exc:
        fail_message(exc.code, exc.message, as_json)


def _response(referral: Referral) -> dict[str, Any] | None:
    if referral.response is None:
        return None
    amount, unit, basis = referral.response
    return {"amount": amount, "unit": str(unit), "basis": basis}


def matter_dict(matter: Matter, profile: CountyProfile) -> dict[str, Any]:
    return {
        "id": matter.id,
        "number": matter.number,
        "title": matter.title,
        "procedures": [str(p) for p in matter.procedures],
        "internal_unit": profile.unit(matter.internal_unit).name if matter.internal_unit else None,
        "departments": [
            {
                "key": party.department,
                "name": profile.department_name(party.department),
                "seed_name": party.name,
                "duty": party.duty,
            }
            for party in matter.parties
        ],
        "referrals": [
            {
                "to": r.to,
                "name": profile.department_name(r.to),
                "kind": str(r.kind),
                "kind_label": KIND_LABELS[str(r.kind)],
                "reason": r.reason,
                "response": _response(r),
                "outside_table": r.outside_table,
                "source": r.source,
            }
            for r in matter.referrals
        ],
        "legal_basis": list(matter.all_legal_basis()),
    }


def matters(
    ctx: typer.Context,
    county: str = CountyOption,
    as_json: bool = JsonOption,
) -> None:
    """列出本县职责边界表：管理事项、相关部门和可移送（通报、告知）的部门。"""
    county_id = _county(ctx, county)
    profile, table = _load(county_id, as_json)
    rows = [matter_dict(m, profile) for m in table]
    if as_json:
        print_json({"county": county_id, "name": profile.name, "matters": rows})
        return
    out = Table(title=f"{profile.name}职责边界表（{len(rows)} 项）", show_lines=True)
    for col in ("序号", "事项", "办理程序", "相关部门", "可移送"):
        out.add_column(col)
    for row in rows:
        referrals = []
        for r in row["referrals"]:
            line = f"{r['name']}（{r['kind_label']}）"
            if r["response"]:
                line += f"：{_period(r['response'])}内答复，{r['response']['basis']}"
            referrals.append(line)
        out.add_row(
            str(row["number"]),
            styled(f"{row['title']}\n", (row["id"], "dim")),
            "、".join(row["procedures"]) or "—",
            "、".join(d["name"] for d in row["departments"]),
            "\n".join(referrals) or "—",
        )
    console.print(out)


def _period(spec: dict[str, Any]) -> str:
    return Period(spec["amount"], Unit(spec["unit"])).label_zh


def profile_dict(profile: CountyProfile) -> dict[str, Any]:
    p = profile.periods
    t = profile.thresholds
    return {
        "county": profile.county_id,
        "name": profile.name,
        "province": profile.province,
        "bureau": {"name": profile.bureau_name, "short_name": profile.bureau_short_name},
        "units": [
            {"id": u.id, "name": u.name, "phone": u.phone, "handles": [str(h) for h in u.handles]}
            for u in profile.units
        ],
        "departments": dict(profile.department_names),
        "doc_prefixes": {str(k): v for k, v in profile.doc_prefixes.items()},
        "remedies": {"reconsideration_body": profile.reconsideration_body, "court": profile.court},
        "criminal_thresholds": {
            "per_worker_yuan": str(t.per_worker_yuan),
            "total_yuan": str(t.total_yuan),
            "min_workers": t.min_workers,
            "min_months": t.min_months,
            "confirmed": t.confirmed,
            "source": t.source,
        },
        "periods": {
            name: {"amount": spec.amount, "unit": str(spec.unit), "basis": spec.basis}
            for name, spec in (
                ("payment_order", p.payment_order),
                ("written_opinion", p.written_opinion),
                ("rectification", p.rectification),
                ("data_request", p.data_request),
            )
        },
    }


@profile_app.command("show")
def profile_show(
    ctx: typer.Context,
    county: str = CountyOption,
    as_json: bool = JsonOption,
) -> None:
    """显示县情配置：本局单位、协作部门名称、文书字号、救济途径、数额标准和默认期限。"""
    county_id = _county(ctx, county)
    profile, _ = _load(county_id, as_json)
    data = profile_dict(profile)
    if as_json:
        print_json(data)
        return
    console.print(
        styled((profile.bureau_name, "bold"), f"（{profile.province}{profile.name}，{county_id}）")
    )
    units = Table(title="本局单位")
    for col in ("键", "名称", "电话", "承办工作"):
        units.add_column(col)
    for u in data["units"]:
        units.add_row(u["id"], u["name"], u["phone"] or "—", "、".join(u["handles"]) or "—")
    console.print(units)
    console.print("协作部门：" + "；".join(f"{k}={v}" for k, v in data["departments"].items()))
    console.print("文书字号：" + "；".join(f"{k}={v}" for k, v in data["doc_prefixes"].items()))
    console.print(f"行政复议机关：{profile.reconsideration_body}；行政诉讼：{profile.court}")
    t = data["criminal_thresholds"]
    state = "已核实" if t["confirmed"] else "未核实（默认值）"
    console.print(
        f"拒不支付劳动报酬罪数额标准：一名劳动者{t['min_months']}个月以上{t['per_worker_yuan']}元；"
        f"{t['min_workers']}名以上劳动者累计{t['total_yuan']}元（{state}）"
    )
    for name, spec in data["periods"].items():
        console.print(f"期限 {name}：{_period(spec)}（{spec['basis']}）")
    console.print(f"可用的县：{'、'.join(available_counties())}")


department_app = typer.Typer(help="协作部门现在的名称（管理员）", no_args_is_help=True)


@department_app.command("list")
def department_list(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """列出协作部门：职责边界表（种子）中的写法、县情配置的名称、管理员改的名称、文书用的名称。"""
    s = settings(ctx)
    with reporting(as_json):
        app = s.app()
        county_settings = app.county.settings
        assert isinstance(county_settings, CountySettings)
        rows = department_rows(county_settings, app.departments.renamed())
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"{app.county.county_name}协作部门")
    for col in ("键", "职责边界表的写法", "县情配置", "管理员改名", "文书使用"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["key"], r["seed_names"] or "—", r["profile_name"], r["admin_name"] or "—", r["name"]
        )
    console.print(table)


@department_app.command("set")
def department_set(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="部门键（见 caseflow department list）"),
    name: str = typer.Argument(..., help="现在的名称，如 县市场监督管理局"),
    as_json: bool = JsonOption,
) -> None:
    """把协作部门改为现在的名称（此后制发的移送书、函件使用新名称）。"""
    s = settings(ctx)
    with reporting(as_json):
        done = s.app().departments.rename(key, name, actor=s.actor())
    if as_json:
        print_json({"key": key, "name": done})
    else:
        ok(f"{key} 现在的名称：{done}")


@department_app.command("reset")
def department_reset(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="部门键"),
    as_json: bool = JsonOption,
) -> None:
    """撤销管理员改的名称，恢复县情配置中的名称。"""
    s = settings(ctx)
    with reporting(as_json):
        name = s.app().departments.reset(key, actor=s.actor())
    if as_json:
        print_json({"key": key, "name": name})
    else:
        ok(f"{key} 恢复为县情配置中的名称：{name}")
