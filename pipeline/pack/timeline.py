"""The chronology figure: dated events as an inline SVG timeline, keyed to the table by number.

Dates are drawn only as precisely as the sources give them:

- a day is a tick;
- an imprecise date (a month, "late 2025", a quarter, a season, a week, a year) is an outlined
  span over the whole period, meaning "some time in here";
- a range ("18-20 Dec 2025") is a solid bar from its first to its last day.

Events with the same dates and review status share one mark, labelled with their row numbers
("12-19"). Long stretches of months in which no short event falls are compressed to a narrow
grey band marked with a double slash; everywhere else one day is the same width, so lengths can
be compared. Undated events are not drawn (the table lists them apart).

The SVG is inserted into the page unescaped, so every piece of text placed in it goes through
`escape`/`quoteattr` here, including the event titles used for tooltips, which come from
untrusted source text. Output is deterministic: no random ids, no clock, integers and fixed
decimals only.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from xml.sax.saxutils import escape, quoteattr

MON = [calendar.month_abbr[i] for i in range(13)]

WIDTH = 658            # px at 96/in: the A4 text width, 174 mm
PAD = 6                # px left and right
BREAK = 16             # px for a compressed stretch of empty months
MIN_GAP_MONTHS = 3     # empty months in a row before they are compressed
SHORT_DAYS = 125       # events at most this long decide which months are drawn to scale
LANE = 13              # px per lane
BAR = 9                # px bar height
AXIS_TOP = 26          # px from the top to the first lane
FONT = "Briefing Sans, Inter, sans-serif"
LABEL_PX = 8.5         # label font size, px (≈ 6.4 pt)
CHAR_PX = 5.0          # average advance of a digit or dash at LABEL_PX
MIN_MARK = 8           # px: the narrowest a period is drawn (a year in a grey band stays visible)

COLOURS = {             # (stroke, fill of a span, fill of a bar/tick, label on a bar)
    "reviewed": ("#1f3a5f", "#d5dfec", "#1f3a5f", "#ffffff"),
    "unreviewed": ("#8a5a00", "#f7e3b0", "#a86e00", "#ffffff"),
}


@dataclass
class Mark:
    start: date
    end: date                       # inclusive
    kind: str                       # day | span | range
    status: str
    numbers: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    x0: float = 0.0
    x1: float = 0.0
    lane: int = 0
    label_x: float = 0.0
    label_anchor: str = "start"
    label_inside: bool = False

    note: str = ""                  # the date, for a mark in a compressed stretch ("2022")

    @property
    def label(self) -> str:
        runs = number_runs(self.numbers)
        return f"{runs} ({self.note})" if self.note else runs


def number_runs(numbers: list[int]) -> str:
    """[3, 4, 5, 7] → "3–5, 7"."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def kind_of(precision: str, start: date, end: date) -> str:
    if start == end and precision in ("day", "range"):
        return "day"
    return "range" if precision == "range" else "span"


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class Stretch:
    """A run of months on the axis: drawn to scale, or compressed (a break)."""

    first: int               # month index
    last: int                # month index, inclusive
    scaled: bool
    x0: float = 0.0
    x1: float = 0.0

    @property
    def start(self) -> date:
        return _month_start(self.first)

    @property
    def stop(self) -> date:  # exclusive
        return _month_start(self.last + 1)

    @property
    def days(self) -> int:
        return (self.stop - self.start).days


class Axis:
    """Piecewise-linear time → x: one scale for every drawn month, narrow fixed-width breaks."""

    def __init__(self, marks: list[Mark]):
        first = min(_month_index(m.start) for m in marks)
        last = max(_month_index(m.end) for m in marks)
        short = [m for m in marks if (m.end - m.start).days < SHORT_DAYS] or marks
        active = {i for m in short for i in range(_month_index(m.start), _month_index(m.end) + 1)}
        self.stretches: list[Stretch] = []
        i = first
        while i <= last:
            j = i
            if i in active:
                while j + 1 <= last and (j + 1 in active or self._short_gap(j + 1, last, active)):
                    j += 1
                self.stretches.append(Stretch(i, j, True))
            else:
                while j + 1 <= last and j + 1 not in active:
                    j += 1
                self.stretches.append(Stretch(i, j, False))
            i = j + 1
        breaks = sum(not s.scaled for s in self.stretches)
        scaled_days = sum(s.days for s in self.stretches if s.scaled)
        # many breaks never take more than a third of the width
        self.brk = min(BREAK, (WIDTH - 2 * PAD) / 3 / breaks) if breaks else BREAK
        self.ppd = (WIDTH - 2 * PAD - breaks * self.brk) / scaled_days
        x = PAD
        for s in self.stretches:
            s.x0 = x
            x += s.days * self.ppd if s.scaled else self.brk
            s.x1 = x

    @staticmethod
    def _short_gap(i: int, last: int, active: set[int]) -> bool:
        """Is month i the start of an empty run shorter than MIN_GAP_MONTHS that ends in data?"""
        j = i
        while j <= last and j not in active:
            j += 1
        return j <= last and j - i < MIN_GAP_MONTHS

    def compressed(self, start: date, end: date) -> bool:
        """Does [start, end] fall wholly in compressed stretches (no month of it drawn to scale)?"""
        return not any(s.scaled and s.start <= end and start < s.stop for s in self.stretches)

    def x(self, d: date) -> float:
        for s in self.stretches:
            if s.start <= d < s.stop:
                frac = (d - s.start).days / s.days
                return s.x0 + frac * (s.x1 - s.x0)
        return self.stretches[-1].x1 if d >= self.stretches[-1].stop else self.stretches[0].x0


def _marks(rows: list[dict]) -> list[Mark]:
    by_key: dict[tuple, Mark] = {}
    for r in rows:
        if r.get("precision") == "undated" or not r.get("start"):
            continue
        start = date.fromisoformat(r["start"])
        end = date.fromisoformat(r.get("end") or r["start"])
        kind = kind_of(r.get("precision", ""), start, end)
        status = "unreviewed" if r.get("status") == "unreviewed" else "reviewed"
        key = (start, end, kind, status)
        mark = by_key.setdefault(key, Mark(start, end, kind, status))
        mark.numbers.append(int(r["n"]))
        mark.dates.append(str(r.get("date", "")))
        mark.texts.append(f"{r['n']}. {r.get('date', '')}: {r.get('title', '')}")
    return sorted(by_key.values(), key=lambda m: (m.start, m.end, min(m.numbers)))


def _place(marks: list[Mark], axis: Axis) -> int:
    """Bars and labels into lanes, first fit, so no two overlap. Returns the lane count."""
    lanes: list[float] = []
    for m in marks:
        m.x0 = axis.x(m.start)
        m.x1 = axis.x(m.end + timedelta(days=1))
        if axis.compressed(m.start, m.end):
            # in a grey band the axis gives no month or year: the label carries the date
            m.note = m.dates[0] if len(set(m.dates)) == 1 else ""
        if m.kind == "day":
            mid = (m.x0 + m.x1) / 2
            m.x0, m.x1 = mid - 2, mid + 2
        elif m.x1 - m.x0 < MIN_MARK:
            # a period squeezed into a grey band stays visible: widened about its middle
            mid = min(max((m.x0 + m.x1) / 2, PAD + MIN_MARK / 2), WIDTH - PAD - MIN_MARK / 2)
            m.x0, m.x1 = mid - MIN_MARK / 2, mid + MIN_MARK / 2
        width = len(m.label) * CHAR_PX
        if m.kind != "day" and m.x1 - m.x0 >= width + 6:
            m.label_inside, m.label_anchor, m.label_x = True, "middle", (m.x0 + m.x1) / 2
            left, right = m.x0, m.x1
        elif m.x1 + 2 + width <= WIDTH - 1:
            m.label_anchor, m.label_x = "start", m.x1 + 2
            left, right = m.x0, m.x1 + 2 + width
        elif m.x0 - 2 - width >= 1:
            m.label_anchor, m.label_x = "end", m.x0 - 2
            left, right = m.x0 - 2 - width, m.x1
        else:   # fits on neither side: over the mark, so that it is never cut off at an edge
            m.label_inside, m.label_anchor = True, "middle"
            m.label_x = min(max((m.x0 + m.x1) / 2, 1 + width / 2), WIDTH - 1 - width / 2)
            left, right = min(m.x0, m.label_x - width / 2), max(m.x1, m.label_x + width / 2)
        for i, end in enumerate(lanes):
            if end + 3 <= left:
                m.lane, lanes[i] = i, right
                break
        else:
            m.lane = len(lanes)
            lanes.append(right)
    return len(lanes)


def _t(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, *, size: float = LABEL_PX, anchor: str = "start",
          fill: str = "#333333", weight: str = "normal") -> str:
    return (f'<text x="{_t(x)}" y="{_t(y)}" font-size="{_t(size)}" text-anchor={quoteattr(anchor)} '
            f'fill={quoteattr(fill)} font-weight={quoteattr(weight)}>{escape(text)}</text>')


def _axis_svg(axis: Axis, bottom: float) -> list[str]:
    out: list[str] = []
    month_w = 30.4 * axis.ppd
    step = 1 if month_w >= 17 else (3 if month_w >= 6 else 12)
    year_end = month_end = -1e9        # right edge of the last year and month label drawn
    years: set[int] = set()            # years labelled so far

    def grid(x: float) -> str:
        return (f'<line x1="{_t(x)}" y1="{AXIS_TOP - 7}" x2="{_t(x)}" y2="{_t(bottom)}" '
                'stroke="#d4dae2" stroke-width="0.5"/>')

    for s in axis.stretches:
        if not s.scaled:
            w = s.x1 - s.x0
            out.append("<g>")
            out.append(f'<rect x="{_t(s.x0 + w / 8)}" y="{AXIS_TOP - 4}" width="{_t(w * 3 / 4)}" '
                       f'height="{_t(bottom - AXIS_TOP + 4)}" fill="#e2e6ec"/>')
            for dx in (w * 0.3, w * 0.55):
                out.append(f'<line x1="{_t(s.x0 + dx - 2)}" y1="{AXIS_TOP}" '
                           f'x2="{_t(s.x0 + dx + 2)}" y2="{AXIS_TOP - 8}" stroke="#777777" '
                           'stroke-width="0.8"/>')
            last = _month_start(s.last)
            gap = (f"{MON[s.start.month]} {s.start.year} – {MON[last.month]} {last.year}: "
                   "no short event; not to scale")
            out.append(f"<title>{escape(gap)}</title></g>")
            continue
        out.append(f'<line x1="{_t(s.x0)}" y1="{AXIS_TOP - 4}" x2="{_t(s.x1)}" y2="{AXIS_TOP - 4}" '
                   'stroke="#1f3a5f" stroke-width="0.8"/>')
        for i in range(s.first, s.last + 1):
            m0 = _month_start(i)
            x0 = axis.x(m0)
            x1 = axis.x(_month_start(i + 1)) if i < s.last else s.x1
            labelled = (m0.month - 1) % step == 0
            if step == 1 or labelled:
                out.append(grid(x0))
            # each year once: where it first starts to scale, not again after a grey band
            if m0.year not in years and x0 + 1.5 >= year_end:
                out.append(_text(x0 + 1.5, 8, str(m0.year), size=8.5, fill="#1f3a5f",
                                 weight="bold"))
                year_end = x0 + 1.5 + 4 * CHAR_PX + 4
                years.add(m0.year)
            if step == 12 or not labelled:
                continue
            if step == 1:
                out.append(_text((x0 + x1) / 2, 18, MON[m0.month], anchor="middle",
                                 fill="#555555"))
            elif x0 + 1.5 >= month_end:
                out.append(_text(x0 + 1.5, 18, MON[m0.month], fill="#555555"))
                month_end = x0 + 1.5 + 3 * CHAR_PX + 3
        out.append(grid(s.x1))
    return out


def _mark_svg(m: Mark) -> list[str]:
    stroke, span_fill, solid, on_bar = COLOURS[m.status]
    y = AXIS_TOP + m.lane * LANE
    title = f"<title>{escape('; '.join(m.texts))}</title>"
    out = [f"<g>{title}"]
    if m.kind == "day":
        mid = (m.x0 + m.x1) / 2
        out.append(f'<line x1="{_t(mid)}" y1="{_t(y - 1)}" x2="{_t(mid)}" y2="{_t(y + BAR + 1)}" '
                   f'stroke={quoteattr(solid)} stroke-width="1.6"/>')
        out.append(f'<circle cx="{_t(mid)}" cy="{_t(y + BAR / 2)}" r="2" fill={quoteattr(solid)}/>')
    elif m.kind == "range":
        out.append(f'<rect x="{_t(m.x0)}" y="{y}" width="{_t(max(m.x1 - m.x0, 1.5))}" '
                   f'height="{BAR}" fill={quoteattr(solid)}/>')
    else:
        out.append(f'<rect x="{_t(m.x0 + 0.3)}" y="{_t(y + 0.3)}" '
                   f'width="{_t(max(m.x1 - m.x0 - 0.6, 1))}" height="{_t(BAR - 0.6)}" '
                   f'fill={quoteattr(span_fill)} stroke={quoteattr(stroke)} stroke-width="0.6" '
                   'stroke-dasharray="2 1.2"/>')
    colour = (on_bar if m.kind == "range" else stroke) if m.label_inside else stroke
    out.append(_text(m.label_x, y + BAR - 1.8, m.label, anchor=m.label_anchor, fill=colour,
                     weight="bold", size=7.6 if m.label_inside else LABEL_PX))
    out.append("</g>")
    return out


def _legend_svg(y: float) -> list[str]:
    ink, span_fill, solid, _ = COLOURS["reviewed"]
    amber = COLOURS["unreviewed"][2]
    out = [f'<line x1="{PAD + 3}" y1="{_t(y - 7)}" x2="{PAD + 3}" y2="{_t(y + 1)}" '
           f'stroke="{solid}" stroke-width="1.6"/>',
           f'<circle cx="{PAD + 3}" cy="{_t(y - 3)}" r="2" fill="{solid}"/>',
           _text(PAD + 9, y, "a day"),
           f'<rect x="{PAD + 44}" y="{_t(y - 7)}" width="22" height="7" fill="{span_fill}" '
           f'stroke="{ink}" stroke-width="0.6" stroke-dasharray="2 1.2"/>',
           _text(PAD + 70, y, "some time in this period (month, part of a year)"),
           f'<rect x="{PAD + 262}" y="{_t(y - 7)}" width="22" height="7" fill="{solid}"/>',
           _text(PAD + 288, y, "lasted from first to last day"),
           f'<rect x="{PAD + 406}" y="{_t(y - 7)}" width="10" height="7" fill="{amber}"/>',
           _text(PAD + 420, y, "unreviewed"),
           f'<rect x="{PAD + 474}" y="{_t(y - 7)}" width="8" height="8" fill="#e2e6ec"/>',
           _text(PAD + 486, y, "months left out"),
           _text(WIDTH - PAD, y, "numbers = table rows", anchor="end", fill="#555555")]
    return out


def timeline_svg(rows: list[dict]) -> str:
    """SVG markup for the dated rows (keys n, start, end, precision, status, date, title)."""
    marks = _marks(rows)
    if not marks:
        return ""
    axis = Axis(marks)
    lanes = _place(marks, axis)
    bottom = AXIS_TOP + lanes * LANE + 1
    height = bottom + 16
    label = (f"Timeline of {sum(len(m.numbers) for m in marks)} dated events, "
             f"{MON[marks[0].start.month]} {marks[0].start.year} to "
             f"{MON[max(m.end for m in marks).month]} {max(m.end for m in marks).year}; "
             "numbers refer to rows of the chronology table")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg" role="img" '
             f'viewBox="0 0 {WIDTH} {_t(height)}" width="{WIDTH}" height="{_t(height)}" '
             f'font-family={quoteattr(FONT)} aria-label={quoteattr(label)}>',
             f"<title>{escape(label)}</title>"]
    parts += _axis_svg(axis, bottom)
    for m in marks:
        parts += _mark_svg(m)
    parts += _legend_svg(height - 3)
    parts.append("</svg>")
    return "\n".join(parts)
