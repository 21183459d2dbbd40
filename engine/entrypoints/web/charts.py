"""The 统计 page's charts, rendered on the server as SVG by pygal — no script (pygal's
tooltip script would come from a CDN: it is switched off), CJK fonts named first, shown as
images so the page's own policy stays strict."""

from __future__ import annotations

import base64
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pygal
from pygal.style import Style

from engine.service.ledger import Statistics

STYLE = Style(
    font_family="'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif",
    background="white",
    plot_background="white",
    colors=("#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f"),
    title_font_size=16,
    label_font_size=12,
    legend_font_size=12,
    value_font_size=11,
)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: str

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _config(chart: pygal.graph.graph.Graph, title: str) -> None:
    chart.title = title
    chart.js = []  # no tooltip script (it would be fetched from a CDN)
    chart.disable_xml_declaration = True
    chart.legend_at_bottom = True
    chart.print_values = False
    chart.width, chart.height = 760, 380
    chart.no_data_text = "本期无数据"
    chart.value_formatter = _number


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _counts(chart: pygal.Graph, peak: int) -> None:
    """Whole numbers on the axis of a chart of counts (none to draw: pygal's own)."""
    if peak <= 0:
        return
    step = max(1, -(-peak // 8))
    chart.y_labels = list(range(0, peak + step, step))


def _peak(counts: Counter[tuple[str, str]], months: list[str]) -> int:
    """The tallest stack of a per-month stacked chart."""
    totals = Counter[str]()
    for (m, _), n in counts.items():
        totals[m] += n
    return max((totals[m] for m in months), default=0)


def _make(kind: type[pygal.graph.graph.Graph], title: str, **options: object) -> pygal.Graph:
    chart = kind(style=STYLE, **options)
    _config(chart, title)
    return chart


SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _svg(chart: pygal.Graph) -> str:
    """The chart's SVG without pygal's inline configuration script (an image runs no
    script anyway; the file then holds nothing but drawing)."""
    return SCRIPT.sub("", chart.render(is_unicode=True))


def _secondary(chart: pygal.Graph, title: str, values: list[int]) -> None:
    """A series on the right-hand axis — only with something to scale it by (pygal cannot
    draw an empty secondary axis)."""
    if any(values):
        chart.add(title, values, secondary=True)


def _wan(value: Decimal) -> float:
    return round(float(value) / 10000, 2)


def charts(stats: Statistics) -> list[Chart]:
    months = stats.months
    out: list[Chart] = []

    opened = _make(pygal.StackedBar, "各月登记案件（按程序）", x_labels=months)
    for title in sorted({p for _, p in stats.opened}):
        opened.add(title, [stats.opened[m, title] or None for m in months])
    _counts(opened, _peak(stats.opened, months))
    out.append(Chart("opened", "各月登记案件", _svg(opened)))

    closed = _make(pygal.StackedBar, "各月办结案件（按结果）", x_labels=months)
    for outcome in sorted({o for _, o in stats.closed}):
        closed.add(outcome, [stats.closed[m, outcome] or None for m in months])
    _counts(closed, _peak(stats.closed, months))
    out.append(Chart("closed", "各月办结案件", _svg(closed)))

    wages = _make(pygal.Bar, "追发工资（万元）与涉及劳动者（人）", x_labels=months)
    wages.add("追发工资（万元）", [_wan(stats.recovered.get(m, Decimal(0))) for m in months])
    _secondary(wages, "涉及劳动者（人）", [stats.workers[m] for m in months])
    out.append(Chart("wages", "追发工资", _svg(wages)))

    handling = _make(
        pygal.Bar, "平均办结用时与法定期限（日）", x_labels=[h.procedure for h in stats.handling]
    )
    handling.add("平均办结用时", [round(h.average_days, 1) for h in stats.handling])
    handling.add("平均法定期限", [round(h.average_limit, 1) for h in stats.handling])
    _secondary(handling, "超期办结（件）", [h.closed - h.within for h in stats.handling])
    out.append(Chart("handling", "办结用时", _svg(handling)))

    units = sorted(set(stats.overdue) | set(stats.missed))
    overdue = _make(pygal.HorizontalBar, "逾期情况（按单位）", x_labels=units)
    overdue.truncate_label = -1  # unit names in full (CJK glyphs are wider than pygal thinks)
    overdue.margin_left = 12 * max((len(u) for u in units), default=0)
    overdue.add("逾期未结案件", [stats.overdue[u] for u in units])
    overdue.add("逾期期限", [stats.missed[u] for u in units])
    _counts(overdue, max([*stats.overdue.values(), *stats.missed.values()], default=0))
    out.append(Chart("overdue", "逾期情况", _svg(overdue)))

    police = _make(pygal.HorizontalBar, "移送公安机关及处理结果（件）")
    for outcome, count in sorted(stats.police.items()):
        police.add(outcome, [count])
    _counts(police, max(stats.police.values(), default=0))
    out.append(Chart("police", "移送公安", _svg(police)))

    fine_months = sorted(stats.fines)
    fines = _make(pygal.Bar, "罚款作出与收缴（元）", x_labels=fine_months)
    fines.add("罚款金额", [float(stats.fines[m]) for m in fine_months])
    fines.add("已收缴", [float(stats.fines_paid.get(m, Decimal(0))) for m in fine_months])
    out.append(Chart("fines", "罚款", _svg(fines)))
    return out
