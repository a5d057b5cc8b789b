"""Small server-side SVG charts for the canned query pages: no JavaScript, readable across magnitudes.

A line chart puts series whose sizes span orders of magnitude on a log axis (a 22 M community and
a 9,000-member one both readable); a bar chart does the same for bars. Every mark carries a
``<title>`` (the exact value, shown on hover) and the page keeps the rows as a table below.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 760, 300, 70, 170, 20, 40
COLOURS = ("#3366aa", "#dc3912", "#ff9900", "#109618", "#990099", "#0099c6", "#dd4477", "#66aa00", "#b82e2e",
           "#316395", "#994499", "#22aa99", "#aaaa11", "#6633cc", "#e67300")  # fmt: skip


def _fmt(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g} M"
    if value >= 1_000:
        return f"{value / 1_000:g} k"
    return f"{value:g}"


def needs_log(values: Sequence[float]) -> bool:
    """True when the positive values span more than two orders of magnitude."""
    positive = [v for v in values if v and v > 0]
    return bool(positive) and max(positive) / min(positive) > 100


def _scale(values: Sequence[float], log: bool, size: float):
    positive = [v for v in values if v is not None and (v > 0 or not log)]
    if not positive:
        return (lambda v: size), []
    if log:
        low = 10 ** math.floor(math.log10(min(positive)))
        high = 10 ** math.ceil(math.log10(max(positive)))
        if high == low:
            high = low * 10
        span = math.log10(high) - math.log10(low)

        def to_px(v):
            return size - size * (math.log10(max(v, low)) - math.log10(low)) / span

        ticks = [10**e for e in range(round(math.log10(low)), round(math.log10(high)) + 1)]
        return to_px, ticks
    high = max(positive) or 1
    step = 10 ** math.floor(math.log10(high))
    high = math.ceil(high / step) * step

    def to_px(v):
        return size - size * v / high

    return to_px, [step * i for i in range(int(high / step) + 1)]


def line_chart(series: dict[str, list[tuple[str, float]]], title: str, y_label: str) -> Markup:
    """Return an SVG line chart: one line per series of (ISO date, value) points, log axis if needed."""
    values = [v for points in series.values() for _, v in points if v is not None]
    if not values:
        return Markup("")
    log = needs_log(values)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    y, ticks = _scale(values, log, inner_h)
    dates = sorted({d[:10] for points in series.values() for d, _ in points})
    x_of = {d: (inner_w * i / (len(dates) - 1) if len(dates) > 1 else inner_w / 2) for i, d in enumerate(dates)}
    out = [
        f'<svg class="tremplin-chart line-chart" role="img" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" data-scale="{"log" if log else "linear"}">',
        f"<title>{escape(title)}</title>",
        f'<g transform="translate({LEFT},{TOP})">',
    ]
    for tick in ticks:
        ty = y(tick)
        out.append(f'<line class="grid" x1="0" x2="{inner_w}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        out.append(f'<text class="tick" x="-6" y="{ty + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>')
    for d in dates:
        out.append(f'<text class="tick" x="{x_of[d]:.1f}" y="{inner_h + 16}" text-anchor="middle">{d}</text>')
    axis = f"{escape(y_label)}{' (log scale)' if log else ''}"
    out.append(f'<text class="axis-label" x="{-LEFT + 4}" y="-6">{axis}</text>')
    for index, (name, points) in enumerate(series.items()):
        colour = COLOURS[index % len(COLOURS)]
        drawn = [(x_of[d[:10]], y(v), d[:10], v) for d, v in points if v is not None and (v > 0 or not log)]
        if not drawn:
            continue
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in drawn)
        out.append(f'<g class="series" data-series="{escape(name)}">')
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        for px, py, d, v in drawn:
            out.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(name)}, {d}: {v:,.0f}</title></circle>"
            )
        last_x, last_y = drawn[-1][0], drawn[-1][1]
        out.append(
            f'<text class="legend" x="{last_x + 8:.1f}" y="{last_y + 4:.1f}" fill="{colour}">{escape(name)}</text>'
        )
        out.append("</g>")
    out.append("</g></svg>")
    return Markup("".join(out))


def bar_chart(bars: list[tuple[str, float]], title: str, x_label: str) -> Markup:
    """Return an SVG horizontal bar chart of (label, value), log axis when values span orders of magnitude."""
    bars = [(label, value) for label, value in bars if value is not None]
    if not bars:
        return Markup("")
    log = needs_log([v for _, v in bars])
    left, row = 220, 18
    inner_w = WIDTH - left - 60
    height = TOP + BOTTOM + row * len(bars)
    width_of, ticks = _scale([v for _, v in bars], log, inner_w)
    out = [
        f'<svg class="tremplin-chart bar-chart" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" data-scale="{"log" if log else "linear"}">',
        f"<title>{escape(title)}</title>",
        f'<g transform="translate({left},{TOP})">',
    ]
    for tick in ticks:
        tx = inner_w - width_of(tick)
        out.append(f'<line class="grid" x1="{tx:.1f}" x2="{tx:.1f}" y1="0" y2="{row * len(bars)}"/>')
        out.append(
            f'<text class="tick" x="{tx:.1f}" y="{row * len(bars) + 14}" text-anchor="middle">{_fmt(tick)}</text>'
        )
    axis = f"{escape(x_label)}{' (log scale)' if log else ''}"
    out.append(f'<text class="axis-label" x="0" y="{row * len(bars) + 32}">{axis}</text>')
    for index, (label, value) in enumerate(bars):
        w = inner_w - width_of(value) if value > 0 or not log else 0
        by = index * row
        out.append(
            f'<g class="bar"><text class="bar-label" x="-6" y="{by + 13}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="0" y="{by + 2}" width="{max(w, 1):.1f}" height="{row - 5}" fill="{COLOURS[0]}">'
            f"<title>{escape(label)}: {value:,.0f}</title></rect>"
            f'<text class="bar-value" x="{max(w, 1) + 4:.1f}" y="{by + 13}">{value:,.0f}</text></g>'
        )
    out.append("</g></svg>")
    return Markup("".join(out))
