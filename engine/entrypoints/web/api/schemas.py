"""The JSON API's request and response bodies (pydantic), which its OpenAPI document
describes. Field descriptions are in Chinese: they are what an integrator's documentation
shows."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field


class Problem(BaseModel):
    """RFC 9457 problem details: the engine's stable code and its Chinese message."""

    type: str = "about:blank"
    title: str = Field(description="HTTP 状态的简短说明")
    status: int = Field(description="HTTP 状态码")
    code: str = Field(description="稳定的错误代码（ASCII）")
    detail: str = Field(description="中文错误说明")
    details: dict[str, Any] = Field(default_factory=dict, description="错误的具体内容")
    reference: str = Field(default="", description="内部错误的参考编号（日志中可查）")


class SubjectIn(BaseModel):
    name: str = Field(min_length=1, max_length=300, description="当事人名称")
    address: str = Field(min_length=1, max_length=500, description="当事人地址")
    uscc: str = Field(
        pattern=r"^[0-9A-HJ-NP-RT-UW-Ya-hj-np-rt-uw-y]{18}$",
        description="统一社会信用代码（18位，含校验位）",
    )


class SubjectOut(BaseModel):
    name: str
    address: str
    uscc: str


class OpenCase(BaseModel):
    procedure: str = Field(min_length=1, max_length=64, description="程序，如 wage_arrears")
    subject: SubjectIn
    source: str = Field(min_length=1, max_length=200, description="案件来源，如 投诉")
    matter: str = Field(default="", max_length=64, description="事项（县配置的职责边界表）")
    data: dict[str, Any] | None = Field(default=None, description="登记时填报的内容")


class Fire(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "payload": {
                        "amount": "1000.00",
                        "paid_on": "2026-03-12",
                        "evidence": "转账凭证",
                    },
                    "reason": "",
                    "expected_version": 6,
                }
            ]
        }
    }

    payload: dict[str, Any] | None = Field(default=None, description="操作的填报内容")
    reason: str = Field(default="", max_length=4000, description="理由或说明")
    expected_version: int | None = Field(
        default=None, ge=0, description="所看到的案件版本；已被他人修改时返回 409"
    )


class Assign(BaseModel):
    inspectors: list[str] = Field(max_length=20, description="承办监察员的用户名")
    reason: str = Field(default="", max_length=2000)
    expected_version: int | None = Field(default=None, ge=0)


class Note(BaseModel):
    text: str = Field(min_length=1, max_length=4000, description="备注内容")
    expected_version: int | None = Field(default=None, ge=0)


class Action(BaseModel):
    trigger: str = Field(description="操作代码")
    label: str = Field(description="操作名称")
    permitted: bool = Field(description="本用户的角色可否执行（其余条件由引擎判断）")


class CaseOut(BaseModel):
    ref: str = Field(description="案件编号")
    procedure: str
    procedure_title: str
    procedure_version: int
    state: str
    state_label: str
    version: int = Field(description="案件版本（乐观并发控制）")
    unit: str
    subject: SubjectOut
    source: str
    matter: str
    opened_by: str
    opened_at: datetime
    closed_at: datetime | None
    overdue: bool
    assignees: list[str]
    data: dict[str, Any]
    actions: list[Action] = Field(description="当前状态允许的操作")


class CaseItem(BaseModel):
    ref: str
    procedure: str
    procedure_title: str
    state: str
    state_label: str
    subject_name: str
    subject_uscc: str
    unit: str
    assignees: list[str]
    source: str
    complainant: str
    opened_at: datetime
    closed_at: datetime | None
    version: int
    overdue: bool


class CasePage(BaseModel):
    items: list[CaseItem]
    total: int
    page: int
    per_page: int
    pages: int


class Event(BaseModel):
    seq: int
    at: datetime
    actor: str
    kind: str
    trigger: str | None
    from_state: str | None
    to_state: str | None
    payload: dict[str, Any]
    reason: str
    hash: str


class Deadline(BaseModel):
    case_ref: str
    procedure: str
    procedure_title: str
    state_label: str
    subject: str
    unit: str
    assignees: list[str]
    timer: str
    label: str = Field(description="期限名称")
    basis: str = Field(description="法律依据")
    last_day: str = Field(description="期限届满日")
    due_at: datetime
    rule: str = Field(description="期限规则，如 15 working_days")
    days_left: int = Field(description="剩余（负数为逾期）的天数，按规则自身的单位")
    left_text: str
    overdue: bool
    provisional: bool = Field(description="暂定（节假日安排尚未公布）")
    paused: bool


class DeadlinePage(BaseModel):
    items: list[Deadline]
    total: int
    page: int
    per_page: int
    pages: int


class Document(BaseModel):
    id: int
    case_ref: str
    kind: str
    title: str
    number: str = Field(description="文号")
    issued_at: datetime
    issued_by: str
    sha256: str
    formats: list[str] = Field(description="可下载的格式：/documents/{id}/{format}")


class Attachment(BaseModel):
    id: int
    case_ref: str
    name: str
    sha256: str
    size: int
    added_at: datetime
    added_by: str


class UserOut(BaseModel):
    name: str
    role: str
    role_label: str
    unit: str
    display_name: str
    active: bool


class NewUser(BaseModel):
    name: str = Field(min_length=1, max_length=64, description="用户名（登录名）")
    role: Literal["inspector", "supervisor", "legal", "head", "admin"] = Field(description="角色")
    unit: str = Field(min_length=1, max_length=200, description="所在单位")
    display_name: str = Field(default="", max_length=200, description="姓名")
    password: str | None = Field(default=None, max_length=200, description="登录密码")


class UserChange(BaseModel):
    role: Literal["inspector", "supervisor", "legal", "head", "admin"] | None = Field(
        default=None, description="新角色"
    )
    unit: str | None = Field(default=None, min_length=1, max_length=200, description="新单位")
    active: bool | None = Field(default=None, description="启用（true）或停用（false）")


class Holiday(BaseModel):
    date: date
    name: str


class CalendarYear(BaseModel):
    year: int
    source: str
    kind: str = Field(description="imported | chinesecalendar | statutory")
    provisional: bool = Field(description="该年放假安排尚未公布，按法定节日暂定")
    holidays: list[Holiday]
    makeup_workdays: list[date]


def _iso_date(value: object) -> object:
    """Only a calendar date written YYYY-MM-DD (pydantic would also read a number of
    seconds as a date, which no integrator means)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("not a YYYY-MM-DD date")
    if isinstance(value, int | float):
        raise ValueError("not a YYYY-MM-DD date")
    return value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
