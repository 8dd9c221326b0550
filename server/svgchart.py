"""Small inline SVG charts drawn on the server (no JavaScript): a place's figures over the years.

One chart per (indicator, unit): achievements as a line with dots, targets as
hollow diamonds. Presentation attributes only (no ``style``), so a strict
Content-Security-Policy still renders them; every text is escaped.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup

W, H = 420, 200
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 32


@dataclass
class Point:
    year: int
    value: float
    kind: str      # "Achievement" | "Target" | other
    title: str     # tooltip


def compact(value: float) -> str:
    """1234 -> 1.2k, 3.6e9 -> 3.6B; small values keep two significant decimals."""
    a = abs(value)
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= limit:
            x = value / limit
            return (f"{x:.1f}".rstrip("0").rstrip(".")) + suffix
    if a == 0:
        return "0"
    if a >= 10:
        return f"{value:.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _nice_ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t <= hi + step * 0.5 and len(ticks) < 12:
        ticks.append(round(t, 10))
        t += step
    return ticks


def chart(title: str, unit: str, points: list[Point]) -> Markup:
    pts = [p for p in points if p.year is not None and p.value is not None]
    if not pts:
        return Markup("")
    years = [p.year for p in pts]
    y0, y1 = min(years), max(years)
    if y0 == y1:
        y0, y1 = y0 - 1, y1 + 1
    vals = [p.value for p in pts]
    lo = min(0.0, min(vals))
    hi = max(vals) * 1.1 if max(vals) > 0 else 1.0
    ticks = _nice_ticks(lo, hi)
    lo, hi = ticks[0], max(ticks[-1], hi)

    def x(year: float) -> float:
        return LEFT + (year - y0) / (y1 - y0) * (W - LEFT - RIGHT)

    def y(v: float) -> float:
        return TOP + (1 - (v - lo) / (hi - lo)) * (H - TOP - BOTTOM)

    out = [Markup('<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" '
                  'role="img" aria-label="%s">') % (W, H, f"{title} ({unit})"),
           Markup("<title>%s</title>") % f"{title} ({unit})"]
    # axes and grid
    for t in ticks:
        out.append(Markup('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#e3e3e3"/>')
                   % (LEFT, W - RIGHT, y(t), y(t)))
        out.append(Markup('<text x="%d" y="%.1f" font-size="11" text-anchor="end" fill="#555">%s</text>')
                   % (LEFT - 6, y(t) + 4, compact(t)))
    step = max(1, math.ceil((y1 - y0) / 8))
    for yr in range(y0, y1 + 1, step):
        out.append(Markup('<text x="%.1f" y="%d" font-size="11" text-anchor="middle" fill="#555">%d</text>')
                   % (x(yr), H - BOTTOM + 16, yr))
    out.append(Markup('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#888"/>')
               % (LEFT, W - RIGHT, H - BOTTOM, H - BOTTOM))
    # achievements: a line through the yearly values (mean when a year has several)
    ach: dict[int, list[float]] = {}
    for p in pts:
        if p.kind != "Target":
            ach.setdefault(p.year, []).append(p.value)
    line = sorted((yr, sum(v) / len(v)) for yr, v in ach.items())
    if len(line) > 1:
        d = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in line)
        out.append(Markup('<polyline points="%s" fill="none" stroke="#1f5fa8" stroke-width="2"/>') % d)
    for p in pts:
        if p.kind == "Target":
            cx, cy, r = x(p.year), y(p.value), 6
            out.append(Markup('<polygon class="target" points="%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f" '
                              'fill="white" stroke="#c0392b" stroke-width="2"><title>%s</title></polygon>')
                       % (cx, cy - r, cx + r, cy, cx, cy + r, cx - r, cy, p.title))
        else:
            out.append(Markup('<circle class="achievement" cx="%.1f" cy="%.1f" r="4" fill="#1f5fa8">'
                              '<title>%s</title></circle>') % (x(p.year), y(p.value), p.title))
    out.append(Markup("</svg>"))
    return Markup("").join(out)


def legend() -> Markup:
    return Markup(
        '<svg class="legend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 260 18" width="260" height="18" '
        'aria-hidden="true"><circle cx="8" cy="9" r="4" fill="#1f5fa8"/>'
        '<text x="18" y="13" font-size="12" fill="#333">achievement</text>'
        '<polygon points="118,3 124,9 118,15 112,9" fill="white" stroke="#c0392b" stroke-width="2"/>'
        '<text x="130" y="13" font-size="12" fill="#333">target</text></svg>')


__all__ = ["Point", "chart", "legend", "compact"]
