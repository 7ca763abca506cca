"""The status badge of an assignment (not started, in progress, completed · 86.0, ✗ not passed · 43.0,
overdue), as HTML: the one place its words, colours and text labels are decided.

A Python function rather than a Jinja macro because the team dashboard shows one per cell
(50 members × 25 columns): a macro call costs about 20 µs, a cached badge a dict lookup. Badges are
cached per request by (status, score), so the translated words follow the page's language.
"""

from __future__ import annotations

from flask import g
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.ui.formatting import score as format_score

_NOT_PASSED = '<span class="badge bg-warning text-dark status-not-passed">✗ {label}{score}</span>'


def status_labels() -> dict[str, str]:
    """Translated status names for templates, looked up once per page (a matrix has hundreds of cells)."""
    if "training_status_labels" not in g:
        g.training_status_labels = {
            "not_started": _("Not started"), "in_progress": _("In progress"),
            "completed": _("Completed"), "overdue": _("Overdue"), "not_passed": _("Not passed"),
        }
    return g.training_status_labels


def _render(status: str, score, labels: dict[str, str]) -> Markup:
    shown = "" if score is None else f" · {escape(format_score(score))}"
    not_passed = _NOT_PASSED.format(label=escape(labels["not_passed"]), score=shown)
    if status == "completed":
        html = f'<span class="badge bg-success">{escape(labels["completed"])}{shown}</span>'
    elif status == "overdue":
        html = f'<span class="badge bg-danger">{escape(labels["overdue"])}</span>' + (
            f" {not_passed}" if score is not None else "")
    elif status == "not_passed":
        html = not_passed
    elif status == "in_progress":
        html = f'<span class="badge bg-info text-dark">{escape(labels["in_progress"])}</span>' + (
            f" {not_passed}" if score is not None else "")
    else:
        html = f'<span class="badge bg-secondary">{escape(labels["not_started"])}</span>'
    return Markup(html)


def status_badge(status, score=None) -> Markup:
    """The badge of one assignment's status: a colour AND a text label (never colour alone); a score
    below the pass mark shows as "✗ not passed · 43.0" beside an open or overdue status."""
    status = getattr(status, "value", status)
    cache = g.setdefault("training_status_badges", {})
    key = (status, score)
    badge = cache.get(key)
    if badge is None:
        badge = cache[key] = _render(status, score, status_labels())
    return badge


def matrix_cells(cells) -> Markup:
    """The ``<td>`` cells of one member's row of the team matrix (``TeamDashboard.rows``: (column, cell or
    None) pairs): the status badge and due date, a red or yellow cell for overdue or not passed work, and
    the column's title in ``data-label`` (the phone layout shows it; app.css ``.matrix-cards``).

    Built here rather than in the template because a 50-member team has over a thousand cells and most
    repeat (same activity, status, score and due date): each distinct cell is rendered once per request.
    """
    cache = g.setdefault("training_matrix_cells", {})
    out = []
    for column, cell in cells:
        if cell is None:
            out.append(_EMPTY_CELL)
            continue
        key = (column.title, cell.status, cell.score, cell.due_date)
        html = cache.get(key)
        if html is None:
            status = getattr(cell.status, "value", cell.status)
            css = _CELL_CLASS.get(status, "")
            html = cache[key] = (f'<td{css} data-label="{escape(column.title)}">{status_badge(status, cell.score)}'
                                 f'<div class="small text-muted">{cell.due_date.isoformat()}</div></td>')
        out.append(html)
    return Markup("".join(out))


_EMPTY_CELL = '<td class="matrix-empty"><span class="text-muted">—</span></td>'
_CELL_CLASS = {"overdue": ' class="table-danger"', "not_passed": ' class="table-warning"'}
