"""Server-rendered bar charts: the geometry is computed here, the template only draws it as an
inline SVG (no JavaScript, no external assets: government intranets are offline)."""

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    series: int
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Group:
    label: str
    bars: list[Bar]
    label_x: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass
class BarChart:
    width: int
    height: int
    left: int
    top: int
    bottom: float
    right: float
    groups: list[Group] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)


def nice_step(maximum: int, most_ticks: int = 5) -> int:
    """The smallest step of 1, 2 or 5 × 10ⁿ that needs no more than ``most_ticks`` steps."""
    if maximum <= most_ticks:
        return 1
    magnitude = 10 ** math.floor(math.log10(maximum / most_ticks))
    for factor in (1, 2, 5, 10):
        if maximum / (factor * magnitude) <= most_ticks:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def grouped_bars(
    labels: list[str],
    series: list[list[int]],
    *,
    width: int = 720,
    height: int = 240,
    left: int = 36,
    top: int = 12,
    right: int = 8,
    bottom: int = 28,
) -> BarChart:
    """One group per label, one bar per series in each group, on a shared axis from zero."""
    maximum = max((v for values in series for v in values), default=0)
    step = nice_step(max(maximum, 1))
    axis_max = step * math.ceil(max(maximum, 1) / step)
    plot_w, plot_h = width - left - right, height - top - bottom
    base = top + plot_h
    chart = BarChart(width, height, left, top, bottom=base, right=width - right)
    chart.ticks = [
        Tick(value=v, y=round(base - plot_h * v / axis_max, 1))
        for v in range(0, axis_max + 1, step)
    ]
    slot = plot_w / max(len(labels), 1)
    bar_w = slot * 0.72 / max(len(series), 1)
    for index, label in enumerate(labels):
        start = left + slot * index + slot * 0.14
        bars = []
        for number, values in enumerate(series):
            value = values[index]
            h = round(plot_h * value / axis_max, 1)
            bars.append(
                Bar(
                    series=number,
                    value=value,
                    x=round(start + bar_w * number, 1),
                    y=round(base - h, 1),
                    width=round(bar_w - 1, 1),
                    height=h,
                )
            )
        chart.groups.append(Group(label, bars, label_x=round(left + slot * (index + 0.5), 1)))
    return chart
