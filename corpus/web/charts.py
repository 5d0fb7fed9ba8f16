"""Charts drawn on the server as SVG, with no chart service and no script: this module turns
counts into shapes (rectangles, labels, grid lines) and templates/_chart.html draws them.
Colours come from the stylesheet (classes s0, s1, ...), so the page needs no inline style."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

SERIES_COLOURS = 8  # .s0 ... .s7 in the stylesheet
WIDTH = 760
MAX_AXIS_LABELS = 12


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str
    href: str | None = None


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    href: str | None = None


@dataclass
class Chart:
    title: str
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    grid: list[tuple[float, float, float, float]] = field(default_factory=list)  # x1, y1, x2, y2
    legend: list[tuple[str, str]] = field(default_factory=list)  # (name, css class)
    empty_text: str = "Nothing to draw."

    @property
    def empty(self) -> bool:
        return not self.rects


def nice_ceiling(value: float, steps: int = 4) -> tuple[float, float]:
    """An axis maximum at or above `value` made of `steps` round steps (1, 2 or 5 x 10^n);
    returns (maximum, step)."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1)  # counts: no fractional steps
    return step * math.ceil(value / step), step


def stacked_columns(title: str, categories: list[str], series: list[tuple[str, list[int]]], *,
                    unit: str, height: int = 260) -> Chart:
    """One column per category, stacked by series (e.g. weeks, stacked by outlet)."""
    left, right, top, bottom = 44, 8, 10, 36
    chart = Chart(title, WIDTH, height, empty_text=f"No {unit} to count here.")
    if not categories:
        return chart
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    maximum, step = nice_ceiling(max(totals))
    slot = plot_width / len(categories)
    bar = max(slot * 0.8, 1)
    tick = 0.0
    while tick <= maximum:
        y = top + plot_height - plot_height * tick / maximum
        chart.grid.append((left, y, WIDTH - right, y))
        chart.labels.append(Label(left - 6, y + 4, f"{tick:,.0f}", "end"))
        tick += step
    every = math.ceil(len(categories) / MAX_AXIS_LABELS)
    for i, category in enumerate(categories):
        x = left + slot * i + (slot - bar) / 2
        base = top + plot_height
        for number, (name, values) in enumerate(series):
            if not values[i]:
                continue
            size = plot_height * values[i] / maximum
            base -= size
            chart.rects.append(Rect(x, base, bar, size, _series_css(number),
                                    f"{category} · {name}: {values[i]:,} {unit}"))
        if i % every == 0:
            chart.labels.append(Label(left + slot * i + slot / 2, height - bottom + 16, category))
    if len(series) > 1:
        chart.legend = [(name, _series_css(number)) for number, (name, _) in enumerate(series)]
    return chart


def horizontal_bars(title: str, rows: list[tuple[str, int, str | None]], *, unit: str) -> Chart:
    """One bar per row (label, value, link), largest value the full width."""
    label_width, right, top, row_height = 210, 60, 6, 22
    height = top * 2 + row_height * len(rows)
    chart = Chart(title, WIDTH, height, empty_text=f"No {unit} to count here.")
    if not rows:
        return chart
    maximum = max(value for _, value, _ in rows) or 1
    plot_width = WIDTH - label_width - right
    for i, (label, value, href) in enumerate(rows):
        y = top + row_height * i
        width = max(plot_width * value / maximum, 1)
        chart.rects.append(Rect(label_width, y + 3, width, row_height - 6, "s0", f"{label}: {value:,} {unit}", href))
        chart.labels.append(Label(label_width - 8, y + 15, _shorten(label, 32), "end", href))
        chart.labels.append(Label(label_width + width + 6, y + 15, f"{value:,}", "start"))
    return chart


def weeks_between(first: date, last: date) -> list[date]:
    """Every Monday from the week of `first` to the week of `last`."""
    start = first - timedelta(days=first.weekday())
    return [start + timedelta(weeks=n) for n in range((last - start).days // 7 + 1)]


def months_between(first: str, last: str) -> list[str]:
    """Every month ("YYYY-MM") from `first` to `last`."""
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _series_css(number: int) -> str:
    return f"s{number % SERIES_COLOURS}"


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"
