"""Geometry for the server-rendered SVG charts of the community pages.

Templates draw these as SVG elements with SVG presentation attributes only (no style
attributes, no inline CSS or script: the Content Security Policy forbids them). Every
chart is shown with a table of the same figures, which is the accessible alternative.
"""

from dataclasses import dataclass

BAR_COLOUR = "#1d70b8"  # GOV.UK blue
LINE_COLOUR = "#0b0c0c"
GRID_COLOUR = "#b1b4b6"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    label_y: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int
    value_x_pad: int = 6
    colour: str = BAR_COLOUR


def bar_chart(rows, *, width: int = 640, label_width: int = 260, bar_height: int = 24):
    """A horizontal bar chart of (label, value) rows, largest bar filling the width."""
    rows = [(row.label, row.count) if hasattr(row, "label") else row for row in rows]
    gap = 8
    top = max((value for _, value in rows), default=0) or 1
    plot = width - label_width - 50
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * (bar_height + gap)
        bars.append(
            Bar(
                label=str(label),
                value=value,
                y=y,
                width=max(round(plot * value / top), 1 if value else 0),
                label_y=y + bar_height // 2 + 5,
            )
        )
    height = max(len(rows) * (bar_height + gap), bar_height)
    return BarChart(bars, width, height, label_width, bar_height)


@dataclass(frozen=True)
class Point:
    x: int
    y: int
    label: str
    value_label: str


@dataclass(frozen=True)
class Tick:
    y: int
    label: str


@dataclass(frozen=True)
class XTick:
    x: int
    label: str


@dataclass(frozen=True)
class LineChart:
    points: list[Point]
    polyline: str
    ticks: list[Tick]
    x_ticks: list[XTick]
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    colour: str = LINE_COLOUR
    grid: str = GRID_COLOUR


def level_chart(series, levels, *, width: int = 640, height: int = 240):
    """A line of the tension level week by week. `series` is [(week, rank, name)],
    `levels` the scale (objects with rank and name), lowest first."""
    left, right, top, bottom = 90, width - 20, 15, height - 40
    ranks = [level.rank for level in levels] or [1]
    low, high = min(ranks), max(ranks)
    span = (high - low) or 1

    def y_for(rank):
        return round(bottom - (rank - low) * (bottom - top) / span)

    count = len(series)
    step = (right - left) / (count - 1) if count > 1 else 0
    points = [
        Point(
            x=round(left + index * step) if count > 1 else (left + right) // 2,
            y=y_for(rank),
            label=f"{week:%-d %b %Y}",
            value_label=name,
        )
        for index, (week, rank, name) in enumerate(series)
    ]
    ticks = [Tick(y_for(level.rank), level.name) for level in levels]
    # Label about six weeks along the axis, always the first and the last.
    every = max(1, round(count / 6)) if count else 1
    x_ticks = [
        XTick(point.x, point.label)
        for index, point in enumerate(points)
        if index % every == 0 or index == count - 1
    ]
    if len(x_ticks) > 1 and x_ticks[-1].x - x_ticks[-2].x < 80:
        x_ticks.pop(-2)
    polyline = " ".join(f"{point.x},{point.y}" for point in points)
    return LineChart(points, polyline, ticks, x_ticks, width, height, left, right, top, bottom)
