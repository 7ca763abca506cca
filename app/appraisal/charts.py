"""Server-side SVG charts: no JavaScript, no chart library, nothing but markup.

Each function returns a small inline ``<svg>`` (as Markup) that scales to its container (viewBox,
width 100 %), so the charts work on a phone and under a strict CSP: colours and sizes are SVG
presentation attributes, never ``style`` attributes. Every label is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAND_COLOURS = {"excellent": "#198754", "good": "#0d6efd", "pass": "#ffc107", "fail": "#dc3545", None: "#adb5bd"}
SERIES_COLOURS = ("#0d6efd", "#6f42c1", "#20c997", "#fd7e14")
FONT = 'font-family="system-ui, sans-serif"'


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}".rstrip("0").rstrip(".")


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    t = escape(title)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{t}" class="appraisal-chart" preserveAspectRatio="xMinYMin meet">'
        f"<title>{t}</title>{''.join(body)}</svg>"
    )


def bar_chart(items: Sequence[tuple[str, float, str]], *, title: str, unit: str = "") -> Markup:
    """Horizontal bars: (label, value, colour) each; scaled to the largest value."""
    label_w, bar_w, row_h, width = 120, 300, 28, 480
    top = max((v for _, v, _ in items), default=0) or 1
    body = []
    for i, (label, value, colour) in enumerate(items):
        y = i * row_h + 4
        length = round(bar_w * value / top, 1)
        body.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="13" {FONT}>'
                    f"{escape(label)}</text>")
        body.append(f'<rect x="{label_w}" y="{y}" width="{length}" height="{row_h - 10}" rx="3" '
                    f'fill="{escape(colour)}"/>')
        body.append(f'<text x="{label_w + length + 6}" y="{y + 15}" font-size="13" {FONT}>'
                    f"{escape(_num(value))}{escape(unit)}</text>")
    return _svg(width, max(len(items), 1) * row_h + 8, title, body)


def grouped_bars(groups: Sequence[tuple[str, Sequence[float | None]]], series: Sequence[str], *,
                 title: str, maximum: float = 100) -> Markup:
    """Per group (a department) one horizontal bar per series (components and total), 0-maximum."""
    label_w, bar_w, bar_h, gap, width = 120, 300, 12, 14, 480
    legend_h = 24
    body = []
    for j, name in enumerate(series):
        x = label_w + j * 90
        body.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{SERIES_COLOURS[j % 4]}"/>')
        body.append(f'<text x="{x + 16}" y="15" font-size="12" {FONT}>{escape(name)}</text>')
    y = legend_h
    for label, values in groups:
        block = len(series) * bar_h
        body.append(f'<text x="{label_w - 8}" y="{y + block / 2 + 5}" text-anchor="end" font-size="13" {FONT}>'
                    f"{escape(label)}</text>")
        for j, value in enumerate(values):
            by = y + j * bar_h
            length = 0 if value is None else round(bar_w * min(value, maximum) / maximum, 1)
            body.append(f'<rect x="{label_w}" y="{by}" width="{length}" height="{bar_h - 2}" '
                        f'fill="{SERIES_COLOURS[j % 4]}"/>')
            body.append(f'<text x="{label_w + length + 4}" y="{by + bar_h - 3}" font-size="10" {FONT}>'
                        f"{escape(_num(value))}</text>")
        y += block + gap
    body.append(f'<line x1="{label_w}" y1="{legend_h - 4}" x2="{label_w}" y2="{y - gap + 2}" '
                f'stroke="#6c757d" stroke-width="1"/>')
    return _svg(width, y + 4, title, body)


def line_chart(points: Sequence[tuple[str, float | None]], *, title: str,
               thresholds: Sequence[tuple[float, str]] = (), maximum: float = 100) -> Markup:
    """A 0-maximum line over labelled points (cycles, oldest first); gaps where a value is missing."""
    left, right, top, bottom, width, height = 36, 16, 12, 44, 480, 220
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(points)

    inset = 56  # keep the first and last labels inside the picture

    def px(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else inset + (plot_w - 2 * inset) * i / (n - 1))

    def py(v: float) -> float:
        return top + plot_h * (1 - min(max(v, 0), maximum) / maximum)

    body = [f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#f8f9fa"/>']
    for tick in (0, 25, 50, 75, 100):
        y = round(py(tick), 1)
        body.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" font-size="10" {FONT}>{tick}</text>')
    for value, label in thresholds:
        y = round(py(value), 1)
        body.append(f'<line x1="{left}" y1="{y}" x2="{left + plot_w}" y2="{y}" stroke="#ced4da" '
                    f'stroke-dasharray="4 3"/>')
        body.append(f'<text x="{left + 4}" y="{y - 3}" font-size="10" fill="#6c757d" {FONT}>'
                    f"{escape(label)}</text>")
    segment: list[str] = []
    for i, (_, value) in enumerate(points):
        if value is None:
            if len(segment) > 1:
                body.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="#0d6efd" stroke-width="2"/>')
            segment = []
            continue
        segment.append(f"{round(px(i), 1)},{round(py(value), 1)}")
    if len(segment) > 1:
        body.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="#0d6efd" stroke-width="2"/>')
    for i, (label, value) in enumerate(points):
        x = round(px(i), 1)
        if value is not None:
            y = round(py(value), 1)
            body.append(f'<circle cx="{x}" cy="{y}" r="4" fill="#0d6efd"/>')
            body.append(f'<text x="{x}" y="{y - 8}" text-anchor="middle" font-size="11" {FONT}>'
                        f"{escape(_num(value))}</text>")
        short = label if len(label) <= 9 else label[:8] + "…"
        body.append(f'<text x="{x}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" {FONT}>'
                    f"<title>{escape(label)}</title>{escape(short)}</text>")
    return _svg(width, height, title, body)
