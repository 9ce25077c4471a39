"""Server-side SVG charts: no JavaScript library, no CDN, readable offline.

Each function returns SVG markup marked safe for Jinja; every value it shows is also put in a
table by the page, for screen readers and for anyone who prefers numbers. The SVG itself is
``role="img"`` with a label.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from ..categories import CATEGORIES

# Distinguishable colours, dark enough for white gaps between stacked segments.
PALETTE = ("#0b4f8a", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#be185d",
           "#4d7c0f", "#1d4ed8", "#9a3412", "#047857", "#6d28d9", "#475569")
INK, GRID, MUTED = "#13233a", "#d5e0ec", "#3d4f66"


def colour(category: str | None) -> str:
    return PALETTE[CATEGORIES.index(category) % len(PALETTE)] if category in CATEGORIES else PALETTE[-1]


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    head = (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
            f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="16">')
    return Markup(head + "".join(body) + "</svg>")


def _nice_max(value: float) -> int:
    for step in (4, 8, 12, 20, 40, 60, 120, 240, 480, 960, 1440, 10_000, 100_000):
        if value <= step:
            return step
    return int(value) + 1


def stacked_bars(label: str, columns: Sequence[tuple[str, Sequence[tuple[str | None, float]]]],
                 unit: str, *, width: int = 820, height: int = 280) -> Markup:
    """Columns of stacked segments: (column label, [(category, value), ...])."""
    left, bottom, top = 52, 30, 12
    plot_h, plot_w = height - bottom - top, width - left - 8
    peak = _nice_max(max((sum(v for _, v in segs) for _, segs in columns), default=0))
    body = []
    for i in range(5):
        value = peak * i / 4
        y = top + plot_h - plot_h * i / 4
        body.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">{value:.0f}</text>')
    slot = plot_w / max(1, len(columns))
    bar = max(2.0, slot * 0.7)
    every = 1 if len(columns) <= 10 else 5
    for index, (name, segments) in enumerate(columns):
        x = left + slot * index + (slot - bar) / 2
        y = top + plot_h
        for category, value in segments:
            h = plot_h * value / peak if peak else 0
            if h <= 0:
                continue
            y -= h
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour(category)}" '
                        f'stroke="#fff" stroke-width="0.6"/>')
        if index % every == 0 or index == len(columns) - 1:
            body.append(f'<text x="{x + bar / 2:.1f}" y="{height - 8}" text-anchor="middle" fill="{INK}">'
                        f'{escape(name)}</text>')
    return _svg(width, height, f"{label} ({unit})" if unit else label, body)


def horizontal_bars(label: str, rows: Sequence[tuple[str, float, str | None]], *, width: int = 820) -> Markup:
    """One bar per row: (row label, value, category for the colour)."""
    row_h, label_w = 34, 330
    height = max(1, len(rows)) * row_h + 8
    peak = max((value for _, value, _ in rows), default=0) or 1
    body = []
    for index, (name, value, category) in enumerate(rows):
        y = 4 + index * row_h
        w = (width - label_w - 60) * value / peak
        shown = name if len(name) <= 38 else name[:37] + "…"
        body.append(f'<text x="{label_w - 8}" y="{y + 22}" text-anchor="end" fill="{INK}">{escape(shown)}</text>')
        body.append(f'<rect x="{label_w}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row_h - 10}" rx="3" '
                    f'fill="{colour(category)}"/>')
        body.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 22}" fill="{INK}">{value:.0f}</text>')
    return _svg(width, height, label, body)


def columns(label: str, values: Sequence[float], names: Sequence[str], *, width: int = 820,
            height: int = 200) -> Markup:
    """Simple columns, for the hours of the day."""
    return stacked_bars(label, [(name, [(None, value)]) for name, value in zip(names, values, strict=True)],
                        "", width=width, height=height)
