"""A county profile: the bureau, its units, the county's names for partner departments,
document-number prefixes, remedy bodies, criminal thresholds and default periods."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from engine.domain.county import DocFamily as DocFamily
from workflows.routing.errors import RoutingLookupError
from workflows.routing.model import Department, PeriodSpec


class WorkKind(StrEnum):
    """Kinds of work a bureau unit handles (from the public-service list and duty list)."""

    COMPLAINTS = "complaints"
    LABOUR_INSPECTION = "labour_inspection"
    EMPLOYMENT_FILING = "employment_filing"
    FUND_SUPERVISION = "fund_supervision"
    POLICY_CONSULTATION = "policy_consultation"
    POLICY_PUBLICITY = "policy_publicity"
    EMPLOYMENT_SERVICES = "employment_services"
    PHONE_CONSULTATION = "phone_consultation"
    LEGAL_PUBLICITY = "legal_publicity"
    SOCIAL_INSURANCE_HANDLING = "social_insurance_handling"
    DISPUTE_ARBITRATION = "dispute_arbitration"


@dataclass(frozen=True)
class Unit:
    """A unit of the bureau (内设机构 or 所属单位)."""

    id: str
    name: str
    phone: str
    handles: tuple[WorkKind, ...]
    source: str = ""


@dataclass(frozen=True)
class CriminalThresholds:
    """The "large amount" (数额较大) of the crime of refusing to pay wages (拒不支付劳动报酬罪).

    SPC interpretation of 2013, art. 3: refusing to pay one worker three months or more of
    pay amounting to at least the per-worker figure, or refusing to pay ten or more workers
    a total of at least the total figure; the province's high court picks both figures
    within 5,000–20,000 and 30,000–100,000 yuan. ``confirmed`` is False while the figures
    are a default rather than the province's adopted standard.
    """

    per_worker_yuan: Decimal
    total_yuan: Decimal
    min_workers: int = 10
    min_months: int = 3
    confirmed: bool = False
    source: str = ""

    def is_met(self, workers: Sequence[tuple[int, Decimal]]) -> tuple[bool, str]:
        """Whether the arrears reach the threshold; ``workers`` is ``(months, amount)`` each.

        Workers owed nothing (amount 0) do not count. Returns the answer and a Chinese reason
        fit to print in the transfer report; whether the standard is only the default
        (``confirmed``) is the case page's caveat to the user, never printed.
        """
        unpaid: list[tuple[int, int, Decimal]] = []
        for index, (months, amount) in enumerate(workers, start=1):
            if months < 0 or amount < 0:
                raise ValueError(f"worker {index}: months and amount must not be negative")
            if amount > 0:
                unpaid.append((index, months, Decimal(amount)))
        for index, months, amount in unpaid:
            if months >= self.min_months and amount >= self.per_worker_yuan:
                return True, (
                    f"第{index}名劳动者被拖欠{months}个月劳动报酬{_yuan(amount)}元，达到"
                    f"“一名劳动者{self.min_months}个月以上且数额{_yuan(self.per_worker_yuan)}"
                    f"元以上”的标准"
                )
        total = sum((amount for _, _, amount in unpaid), Decimal(0))
        if len(unpaid) >= self.min_workers and total >= self.total_yuan:
            return True, (
                f"被拖欠劳动报酬的劳动者{len(unpaid)}名，累计{_yuan(total)}元，达到"
                f"“{self.min_workers}名以上劳动者且累计数额{_yuan(self.total_yuan)}元以上”"
                f"的标准"
            )
        return False, (
            f"未达到“数额较大”标准：没有一名劳动者同时满足被拖欠{self.min_months}个月以上且"
            f"数额{_yuan(self.per_worker_yuan)}元以上；被拖欠的劳动者{len(unpaid)}名、"
            f"累计{_yuan(total)}元，未同时满足{self.min_workers}名以上且累计"
            f"{_yuan(self.total_yuan)}元以上"
        )


@dataclass(frozen=True)
class DefaultPeriods:
    """Periods no national rule fixes; the county sets them."""

    payment_order: PeriodSpec
    """Deadline to pay set in a payment order (责令支付)."""
    written_opinion: PeriodSpec
    """Window for the supervised unit's written opinion on a fund-audit report."""
    rectification: PeriodSpec
    """Deadline in a rectification order (限期改正)."""
    data_request: PeriodSpec
    """Deadline for data requested in an off-site fund audit (非现场监督)."""


@dataclass(frozen=True)
class FinePayment:
    """Where the county's fines are paid: the bank and account the penalty decision
    names (行政处罚法 art. 59, art. 67), and the electronic way where there is one."""

    bank: str
    account_name: str
    account_no: str
    electronic: str = ""


@dataclass(frozen=True)
class CountyProfile:
    """Everything county-specific the routing and the notices need."""

    county_id: str
    name: str
    province: str
    bureau_name: str
    bureau_short_name: str
    units: tuple[Unit, ...]
    department_names: Mapping[str, str]
    """The county's own name for each partner department it names (key → name)."""
    doc_prefixes: Mapping[DocFamily, str]
    reconsideration_body: str
    court: str
    payment: FinePayment
    thresholds: CriminalThresholds
    periods: DefaultPeriods
    catalogue: Mapping[str, Department]
    date_style: str = "arabic"
    """成文日期 style of the documents: "arabic" (GB/T 9704-2012) or "chinese"."""
    fonts: Mapping[str, str] = field(default_factory=dict)
    """The office's own faces ("body", "title"; "" none), tried before the free ones."""
    """The department catalogue, for keys this county does not name (fallback names)."""
    head_titles: Mapping[str, str] = field(default_factory=dict)
    """Users (role head) acting as the bureau's 负责人 under another title, e.g. a
    分管副局长; the others sign as 局长."""

    def head_title(self, user: str) -> str:
        """The title a 负责人 decides under (行政处罚法第五十七条: 行政机关负责人)."""
        return self.head_titles.get(user, "局长")

    def department_name(self, key: str) -> str:
        """The county's name for a department, or the catalogue's generic name."""
        if key in self.department_names:
            return self.department_names[key]
        if key in self.catalogue:
            return self.catalogue[key].default_name
        raise RoutingLookupError(
            f"未登记的部门：{key}（departments.toml 中没有这个键）", department=key
        )

    def department_full_name(self, key: str) -> str:
        """The name with the county spelled out, for letters: 县公安局 → 定安县公安局."""
        name = self.department_name(key)
        return self.name + name[1:] if name.startswith("县") else name

    def doc_prefix(self, family: DocFamily | str) -> str:
        try:
            return self.doc_prefixes[DocFamily(family)]
        except (ValueError, KeyError):
            raise RoutingLookupError(
                f"{self.name} 没有文书类别“{family}”的字号前缀", county=self.county_id
            ) from None

    def unit(self, unit_id: str) -> Unit:
        for unit in self.units:
            if unit.id == unit_id:
                return unit
        raise RoutingLookupError(
            f"{self.name} 没有单位“{unit_id}”", county=self.county_id, unit=unit_id
        )

    def unit_for(self, kind: WorkKind | str) -> Unit:
        """The unit that handles a kind of work (each kind has at most one unit)."""
        for unit in self.units:
            if kind in unit.handles:
                return unit
        raise RoutingLookupError(
            f"{self.name} 没有配置承办“{kind}”工作的单位", county=self.county_id, kind=str(kind)
        )


def _yuan(amount: Decimal) -> str:
    cents = amount.quantize(Decimal("0.01"))
    if cents == cents.to_integral_value():
        return str(int(cents))
    return format(cents, "f")
