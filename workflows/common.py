"""What every procedure and building block uses: role sets, payload field types, the
guards of an enforcement step, the typed county settings, dates and effect helpers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from engine.deadlines import LOCAL_TZ, LayeredCalendar, Period, compute_deadline
from engine.domain.county import DocFamily
from engine.domain.procedure import DocumentDecl, Effect, GuardContext, guard
from engine.domain.roles import Role
from workflows.counties import CountySettings

INSPECTORS = frozenset({Role.INSPECTOR})
INSPECTORS_AND_SUPERVISORS = frozenset({Role.INSPECTOR, Role.SUPERVISOR})
SUPERVISORS = frozenset({Role.SUPERVISOR})
SUPERVISORS_AND_HEAD = frozenset({Role.SUPERVISOR, Role.HEAD})
HEAD = frozenset({Role.HEAD})
LEGAL = frozenset({Role.LEGAL})
SYSTEM = frozenset({Role.SYSTEM})
INSPECTORS_OR_SYSTEM = frozenset({Role.INSPECTOR, Role.SYSTEM})

FEN = Decimal("0.01")

Yuan = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=2),
    PlainSerializer(lambda d: str(Decimal(str(d)).quantize(FEN, ROUND_HALF_UP)), return_type=str),
]
"""An amount in yuan, at most two decimals, serialised as a string (never a float)."""

PositiveYuan = Annotated[
    Decimal,
    Field(gt=0, max_digits=14, decimal_places=2),
    PlainSerializer(lambda d: str(Decimal(str(d)).quantize(FEN, ROUND_HALF_UP)), return_type=str),
]

Text = Annotated[str, Field(min_length=1, max_length=4000)]
"""A required free text (facts, reasons, opinions)."""

Name = Annotated[str, Field(min_length=1, max_length=200)]
"""A required short text (a person, a place, a body)."""

DepartmentKey = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=60,
        description="协作部门键（见 caseflow matters）",
        examples=["police", "market_regulation", "housing_construction", "arbitration"],
    ),
]


def document(
    *, kind: str, title: str, family: DocFamily, abbrev: str = "", template: str = ""
) -> DocumentDecl:
    """A numbered document of ``family`` (its number: the county's prefix for the family,
    ``abbrev``, the year and the sequence), rendered from ``template`` — by default the
    template named after its kind, ``templates/notices/<kind>.html.j2``."""
    return DocumentDecl(
        kind=kind,
        title=title,
        template=template or f"{kind}.html.j2",
        family=family,
        abbrev=abbrev,
    )


class Payload(BaseModel):
    """Base of every trigger payload: unknown fields are refused, values are strict-ish."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


P = TypeVar("P", bound=BaseModel)


def county_settings(ctx: GuardContext) -> CountySettings:
    """The county's typed settings (routing table, profile, thresholds, periods)."""
    if not isinstance(ctx.settings, CountySettings):
        raise TypeError(f"expected the county's CountySettings, got {type(ctx.settings).__name__}")
    return ctx.settings


def payload_as(ctx: GuardContext, model: type[P]) -> P:
    """The validated payload of the trigger being fired, typed."""
    if not isinstance(ctx.payload, model):
        raise TypeError(f"expected a {model.__name__} payload, got {type(ctx.payload).__name__}")
    return ctx.payload


def yuan(value: Any) -> Decimal:
    """A stored amount (string) back to Decimal."""
    return Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)


def head_title(ctx: GuardContext) -> str:
    """The title of the 负责人 acting (the county profile may name a 分管副局长)."""
    if isinstance(ctx.settings, CountySettings):
        return ctx.settings.profile.head_title(ctx.actor.name)
    return "局长"


def today(ctx: GuardContext) -> date:
    """The bureau's calendar day (Asia/Shanghai) of the transition."""
    return ctx.now.astimezone(LOCAL_TZ).date()


def listed(data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    """A copy of a list of records kept in case data (never mutate the case's own list)."""
    return [dict(item) for item in data.get(key) or []]


def appended(data: Mapping[str, Any], key: str, item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The list ``data[key]`` with ``item`` appended, numbered from 1 (``no``)."""
    items = listed(data, key)
    items.append({"no": len(items) + 1, **item})
    return items


@cache
def _statutory_calendar() -> LayeredCalendar:
    return LayeredCalendar()


def due_date(start: datetime, period: Period) -> date:
    """The last day of ``period`` counted from ``start`` by the statutory rules, for dates a
    document states without a running timer (e.g. an ordered payment that is tracked in
    case data). Uses the published holiday arrangements; a year the county imported itself
    is only known to the timers, so such a date may differ from a timer's by a make-up day."""
    return compute_deadline(start, period, _statutory_calendar()).last_day


# -- guards used by every enforcement procedure -------------------------------------------


@guard("two_inspectors", "两名监察员承办")
def TWO_INSPECTORS(ctx: GuardContext) -> str | None:
    if len(ctx.assignees) >= 2:
        return None
    return f"执法须有两名以上监察员承办，当前仅 {len(ctx.assignees)} 名（劳动保障监察条例第十六条）"


@guard("actor_is_assignee", "承办人办理")
def ACTOR_IS_ASSIGNEE(ctx: GuardContext) -> str | None:
    if ctx.actor.role is not Role.INSPECTOR or ctx.actor.name in ctx.assignees:
        return None
    return f"{ctx.actor.name} 不是本案承办人（承办人：{'、'.join(ctx.assignees) or '无'}）"


@guard("not_case_inspector", "承办人以外的人员审批")
def NOT_CASE_INSPECTOR(ctx: GuardContext) -> str | None:
    """Four eyes: who approves or reviews did not investigate or open the case."""
    if ctx.actor.name in ctx.assignees or ctx.actor.name == ctx.opened_by:
        return f"{ctx.actor.name} 承办或立案了本案，不能审批或审核本案（回避）"
    return None


ENFORCEMENT = (ACTOR_IS_ASSIGNEE, TWO_INSPECTORS)
"""An enforcement step: done by an assigned inspector, with two inspectors on the case."""


# -- evidence -----------------------------------------------------------------------------


class EvidenceKind(StrEnum):
    PHOTO = "photo"
    VIDEO = "video"
    DOCUMENT = "document"
    AUDIO = "audio"

    @property
    def label(self) -> str:
        return {"photo": "照片", "video": "录像", "document": "书证", "audio": "录音"}[self.value]


class Evidence(Payload):
    """A reference to an attachment of the case (uploaded with ``caseflow attach``)."""

    name: Name = Field(description="附件名称")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="附件的 SHA-256（见案件附件列表）")
    kind: EvidenceKind = Field(description="证据形式")


def evidence_list(items: Sequence[Evidence]) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in items]


def _dumped(ctx: GuardContext) -> dict[str, Any]:
    if ctx.payload is None:
        raise TypeError("this effect records the trigger's payload, and it has none")
    return ctx.payload.model_dump(mode="json")


def recorded(key: str, *, dated: str = "recorded_on", by: str | None = "by") -> Effect:
    """An effect keeping the trigger's payload under ``data[key]``, with the day under
    ``dated`` and, unless ``by`` is None, the actor's name under ``by``."""

    def effect(ctx: GuardContext) -> dict[str, Any]:
        body = ctx.payload.model_dump(mode="json") if ctx.payload is not None else {}
        stamps = {dated: today(ctx).isoformat()} | ({by: ctx.actor.name} if by else {})
        return {key: {**body, **stamps}}

    return effect


def added_to(key: str, *, dated: str | None = None, by: str | None = None) -> Effect:
    """An effect adding the trigger's payload to the list ``data[key]``, with the day under
    ``dated`` and the actor's name under ``by`` when they are given."""

    def effect(ctx: GuardContext) -> dict[str, Any]:
        item = _dumped(ctx)
        if dated is not None:
            item[dated] = today(ctx).isoformat()
        if by is not None:
            item[by] = ctx.actor.name
        return {key: [*ctx.data.get(key, []), item]}

    return effect


class ComplaintIntake(Payload):
    """What a complaint brings when it is registered (投诉登记)."""

    complainant: str = Field(default="", max_length=100, description="投诉人（或代表）姓名")
    contact: str = Field(default="", max_length=100, description="投诉人联系电话")
    received_on: date | None = Field(default=None, description="收到投诉的日期")
    summary: str = Field(default="", max_length=2000, description="投诉事项")
