"""Gantt-like timelines of tenures, drawn on the server as inline SVG (no JavaScript).

One row per tenure, on a shared axis of years:

* a **bar** from the first to the last date a reading says the post is held (the attested span);
* a **cap** where a bound is attested (the article of that day reports the election, the
  appointment, the dismissal), a **whisker** where it is only bounded: a solid line with a cap out
  to a "no later than" end (a later reading of the post as former, or of the next holder), a
  dashed line with an open tip where the beginning is unknown (no later than the first reading)
  or the end is (no earlier than the last reading: it may still be held);
* a **mark** per reading, by status (starts ▲, holds ●, ends ▼, former ○), each a link to its
  article with the date, the status and the evidence sentence as its tooltip;
* the row's label links to the official (or the body), the bar to the tenure's page; a tenure
  in conflict with another is drawn in red.

Presentation attributes and classes only (no ``style``), so a strict Content-Security-Policy
renders them; every text and link is escaped (markupsafe).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from markupsafe import Markup

W = 1000
LABEL = 250          # the row labels' column
RIGHT = 24
ROW = 26
TOP, BOTTOM = 26, 24
TIP = 14             # length of an open whisker (a bound with no date on its far side)
MAX_LABEL = 38       # characters of a row label shown (the whole label is its tooltip)
STATUS_TEXT = {"holds": "holds the post", "starts": "starts (elected, appointed)",
               "ends": "ends (relieved, dismissed, left)", "former": "former (held before)"}


@dataclass
class Mark:
    date: dt.date
    status: str
    href: str | None
    title: str


@dataclass
class Row:
    label: str
    href: str | None
    tenure_href: str | None
    beginning: tuple[dt.date, str] | None
    end: tuple[dt.date, str] | None
    first: dt.date | None
    last: dt.date | None
    marks: list[Mark] = field(default_factory=list)
    conflict: bool = False
    title: str = ""


def span(rows: list[Row]) -> tuple[dt.date, dt.date] | None:
    """The dates the rows reach, widened to whole years."""
    days = [d for r in rows for d in (r.first, r.last, r.beginning and r.beginning[0], r.end and r.end[0])
            if d] + [m.date for r in rows for m in r.marks]
    if not days:
        return None
    lo, hi = min(days), max(days)
    return dt.date(lo.year, 1, 1), dt.date(hi.year + 1, 1, 1)


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1].rstrip() + "…"


def timeline(title: str, rows: list[Row], between: tuple[dt.date, dt.date] | None = None) -> Markup:
    """The SVG of ``rows`` (a shared axis when ``between`` is given)."""
    between = between or span(rows)
    if not rows or between is None:
        return Markup("")
    lo, hi = between
    days = max(1, (hi - lo).days)
    height = TOP + ROW * len(rows) + BOTTOM

    def x(day: dt.date) -> float:
        return LABEL + (day - lo).days / days * (W - LABEL - RIGHT)

    out = [Markup('<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" '
                  'role="img" aria-label="%s">') % (W, height, title),
           Markup("<title>%s</title>") % title]
    years = list(range(lo.year, hi.year + 1))
    step = 1 if len(years) <= 14 else 2 if len(years) <= 28 else 5
    for y in years:
        xx = x(dt.date(y, 1, 1))
        out.append(Markup('<line class="grid" x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#e6e9ee"/>')
                   % (xx, xx, TOP - 6, height - BOTTOM))
        if y % step == 0 and y < hi.year:
            mid = x(dt.date(y, 7, 1)) if step == 1 else xx
            for yy in (TOP - 10, height - BOTTOM + 16):
                out.append(Markup('<text class="year" x="%.1f" y="%d" font-size="11" text-anchor="middle" '
                                  'fill="#5b6472">%d</text>') % (mid, yy, y))
    for i, r in enumerate(rows):
        out.append(_row(r, TOP + i * ROW, x))
    out.append(Markup("</svg>"))
    return Markup("").join(out)


def _row(r: Row, top: int, x) -> Markup:
    mid = top + ROW / 2
    colour = "#b03a2e" if r.conflict else "#1f5fa8"
    parts = [Markup('<g class="tenure%s">') % (" conflict" if r.conflict else "")]
    if r.conflict:
        parts.append(Markup('<rect x="0" y="%d" width="%d" height="%d" fill="#fdecea"/>') % (top + 1, W, ROW - 2))
    label = Markup('<text class="label" x="%d" y="%.1f" font-size="12" fill="#1d2330">%s<title>%s</title></text>') % (
        8, mid + 4, _label(r.label), r.label)
    parts.append(Markup('<a href="%s">%s</a>') % (r.href, label) if r.href else label)
    bar = []
    if r.first is not None and r.last is not None:
        x0, x1 = x(r.first), x(r.last)
        if x1 - x0 < 4:
            x0, x1 = x0 - 2, x1 + 2
        bar.append(Markup('<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="10" rx="2" fill="%s" '
                          'fill-opacity="0.85"/>') % (x0, mid - 5, x1 - x0, colour))
        start, stop = x0, x1
    else:  # read only as former: no span is attested
        start = stop = x(r.end[0]) if r.end else None
    if r.beginning is not None and start is not None:
        day, kind = r.beginning
        if kind == "attested":
            bar.append(Markup('<line class="cap" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" '
                              'stroke-width="2"/>') % (x(day), x(day), mid - 8, mid + 8, colour))
        else:
            tip = min(x(day), start) - TIP
            bar.append(Markup('<line class="whisker open" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" '
                              'stroke-width="1.5" stroke-dasharray="3 2"/>') % (tip, start, mid, mid, colour))
            bar.append(Markup('<polyline points="%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="none" stroke="%s"/>')
                       % (tip + 4, mid - 4, tip, mid, tip + 4, mid + 4, colour))
    if r.end is not None and stop is not None:
        day, kind = r.end
        if kind == "attested":
            bar.append(Markup('<line class="cap" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" '
                              'stroke-width="2"/>') % (x(day), x(day), mid - 8, mid + 8, colour))
        elif kind == "noLaterThan":
            bar.append(Markup('<line class="whisker" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" '
                              'stroke-width="1.5"/>') % (stop, x(day), mid, mid, colour))
            bar.append(Markup('<line class="cap" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" '
                              'stroke-width="1.5"/>') % (x(day), x(day), mid - 5, mid + 5, colour))
        else:
            tip = stop + TIP
            bar.append(Markup('<line class="whisker open" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" '
                              'stroke-width="1.5" stroke-dasharray="3 2"/>') % (stop, tip, mid, mid, colour))
            bar.append(Markup('<polyline points="%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="none" stroke="%s"/>')
                       % (tip - 4, mid - 4, tip, mid, tip - 4, mid + 4, colour))
    if bar:
        group = Markup("").join(bar) + Markup("<title>%s</title>") % r.title
        parts.append(Markup('<a class="span" href="%s">%s</a>') % (r.tenure_href, group) if r.tenure_href
                     else Markup("<g>%s</g>") % group)
    for m in r.marks:
        parts.append(_mark(m, x(m.date), mid))
    parts.append(Markup("</g>"))
    return Markup("").join(parts)


def _mark(m: Mark, cx: float, cy: float) -> Markup:
    if m.status == "starts":
        shape = Markup('<polygon points="%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="#2e7d4f" stroke="#fff"/>') % (
            cx, cy - 6, cx + 5, cy + 3, cx - 5, cy + 3)
    elif m.status == "ends":
        shape = Markup('<polygon points="%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="#b03a2e" stroke="#fff"/>') % (
            cx - 5, cy - 3, cx + 5, cy - 3, cx, cy + 6)
    elif m.status == "former":
        shape = Markup('<circle cx="%.1f" cy="%.1f" r="3.5" fill="#fff" stroke="#5b6472" stroke-width="1.5"/>') % (cx, cy)
    else:
        shape = Markup('<circle cx="%.1f" cy="%.1f" r="3" fill="#fff" stroke="#17324f" stroke-width="1.5"/>') % (cx, cy)
    inner = Markup('<g class="mark %s">%s<title>%s</title></g>') % (m.status, shape, m.title)
    return Markup('<a href="%s">%s</a>') % (m.href, inner) if m.href else inner


def legend() -> Markup:
    """What the marks and lines of a timeline mean."""
    items = [
        (38, '<rect x="0" y="5" width="30" height="10" rx="2" fill="#1f5fa8" fill-opacity="0.85"/>', "read as held"),
        (8, '<line x1="2" x2="2" y1="2" y2="18" stroke="#1f5fa8" stroke-width="2"/>', "attested start or end"),
        (34, '<line x1="0" x2="26" y1="10" y2="10" stroke="#1f5fa8" stroke-width="1.5"/>'
             '<line x1="26" x2="26" y1="5" y2="15" stroke="#1f5fa8" stroke-width="1.5"/>', "ended no later than"),
        (30, '<line x1="0" x2="22" y1="10" y2="10" stroke="#1f5fa8" stroke-width="1.5" stroke-dasharray="3 2"/>'
             '<polyline points="18,6 22,10 18,14" fill="none" stroke="#1f5fa8"/>', "date unknown"),
        (14, '<polygon points="5,4 10,13 0,13" fill="#2e7d4f"/>', "starts"),
        (14, '<circle cx="5" cy="10" r="3" fill="#fff" stroke="#17324f" stroke-width="1.5"/>', "holds"),
        (14, '<polygon points="0,6 10,6 5,15" fill="#b03a2e"/>', "ends"),
        (14, '<circle cx="5" cy="10" r="3.5" fill="#fff" stroke="#5b6472" stroke-width="1.5"/>', "former"),
        (20, '<rect x="0" y="3" width="14" height="14" fill="#fdecea" stroke="#b03a2e"/>', "in conflict"),
    ]
    out, x = [], 2
    for width, shape, text in items:
        out.append(f'<g transform="translate({x},0)">{shape}<text x="{width}" y="14" font-size="12" fill="#333">'
                   f'{text}</text></g>')
        x += width + 7 * len(text) + 18
    return Markup('<svg class="legend timeline-legend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d 20" '
                  'width="%d" height="20" aria-hidden="true">' % (x, x) + "".join(out) + "</svg>")


__all__ = ["Mark", "Row", "timeline", "legend", "span"]
