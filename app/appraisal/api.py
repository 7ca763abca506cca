"""The HR read API (``/api/v1``): cycles and their scores as paginated JSON, for the HR system.

Authentication is an API token in ``Authorization: Bearer <token>`` and nothing else: a browser
session (even HR's) does not authenticate here, so a logged-in trainee's cookie gets 401 like
anyone else. Tokens are created and revoked by HR on the "API tokens" page.
"""

from __future__ import annotations

import logging

from flask import Blueprint, g, jsonify, request, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.exc import OperationalError

from app.appraisal import live, tokens
from app.appraisal.exports.columns import BAND_LABELS_ZH
from app.appraisal.models import Cycle, CycleScope
from app.appraisal.snapshots import cycle_scores
from app.extensions import db
from app.people.models import Department
from app.routing import parse_bounded_int
from app.timeutil import isoformat_site

logger = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/api/v1")

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500


def _error(status: int, error: str, message: str):
    response = jsonify(error=error, message=message)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = f'Bearer realm="api", error="{error}"'
    return response


@bp.before_request
def require_token():
    header = request.headers.get("Authorization", "")
    scheme, _, plain = header.partition(" ")
    if scheme.lower() != "bearer" or not plain.strip():
        return _error(401, "invalid_request", "send an API token: Authorization: Bearer <token>")
    token = tokens.authenticate(plain.strip())
    if token is None:
        return _error(401, "invalid_token",
                      "the token is unknown, revoked or expired, or its creator may no longer use it")
    g.api_token_id = token.id
    g.api_department_id = token.department_id
    try:
        if tokens.touch(token):
            db.session.commit()
    except OperationalError:  # recording last use must never fail a read (busy SQLite writer)
        db.session.rollback()
        logger.warning("could not record the use of API token %s", token.id)
    return None


def _pagination() -> tuple[int, int] | None:
    raw_page, raw_per_page = request.args.get("page", "1"), request.args.get("per_page", str(DEFAULT_PER_PAGE))
    if not (raw_page.isascii() and raw_page.isdigit() and raw_per_page.isascii() and raw_per_page.isdigit()):
        return None
    if len(raw_page) > 9 or len(raw_per_page) > 9:
        return None
    page, per_page = int(raw_page), int(raw_per_page)
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        return None
    return page, per_page


def _page_envelope(items: list, total: int, page: int, per_page: int, endpoint: str, **values) -> dict:
    pages = max(1, -(-total // per_page))

    def link(p: int) -> str:
        return url_for(endpoint, page=p, per_page=per_page, _external=True, **values)

    return {"items": items, "page": page, "per_page": per_page, "total": total, "pages": pages,
            "next": link(page + 1) if page < pages else None, "prev": link(page - 1) if page > 1 else None}


def _bad_pagination():
    return _error(400, "bad_request", f"page >= 1 and 1 <= per_page <= {MAX_PER_PAGE} (parameters 'page', 'per_page')")


def cycle_json(cycle: Cycle) -> dict:
    return {
        "id": cycle.id, "name": cycle.name, "starts_on": cycle.starts_on.isoformat(),
        "ends_on": cycle.ends_on.isoformat(), "state": cycle.state, "policy": cycle.policy,
        "scope": cycle.scope, "departments": [{"id": d.id, "name": d.name} for d in cycle.departments],
        "weights": cycle.weights, "bands": cycle.bands, "version": cycle.version,
        "closed_at": isoformat_site(cycle.closed_at),
        "scores": url_for("api.cycle_scores", cycle_id=cycle.id, _external=True),
    }


def _num(value, digits: int = 2):
    return None if value is None else round(float(value), digits)


def score_json(row) -> dict:
    return {
        "employee_no": row.employee_no, "name": row.name, "department": row.department, "team": row.team,
        "position": row.position, "supervisor": row.supervisor, "theory": _num(row.theory),
        "practice": _num(row.practice), "observation": _num(row.observation),
        "computed_total": _num(row.computed_total), "adjustment": _num(row.adjustment),
        "adjustment_reason": row.adjustment_reason or "", "total": _num(row.total), "band": row.band,
        "grade": BAND_LABELS_ZH.get(row.band) if row.band else None, "completion": _num(row.completion, 4),
        "assigned": int(row.assigned or 0), "completed": int(row.completed or 0), "overdue": int(row.overdue or 0),
    }


@bp.get("/cycles")
def cycles():
    paging = _pagination()
    if paging is None:
        return _bad_pagination()
    page, per_page = paging
    stmt = select(Cycle)
    if g.api_department_id is not None:  # a department token sees the cycles that cover its department
        stmt = stmt.where(or_(Cycle.scope == CycleScope.COMPANY.value,
                              Cycle.departments.any(Department.id == g.api_department_id)))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(stmt.order_by(Cycle.starts_on.desc(), Cycle.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return jsonify(_page_envelope([cycle_json(c) for c in rows], total, page, per_page, "api.cycles"))


@bp.get("/cycles/<int:cycle_id>/scores", endpoint="cycle_scores")
def cycle_scores_view(cycle_id: int):
    cycle = db.session.get(Cycle, cycle_id)
    if cycle is None:
        return _error(404, "not_found", "no such cycle")
    if live.refresh_due(cycle):  # due dates passed since the live rows were written
        cycle = db.session.get(Cycle, cycle_id)
    paging = _pagination()
    if paging is None:
        return _bad_pagination()
    page, per_page = paging
    raw = request.args.get("department")
    department_id = None
    if raw is not None:
        department_id = parse_bounded_int(raw)
        if department_id is None or department_id < 1:
            return _error(400, "bad_request", "department must be a positive integer id (parameter 'department')")
    if g.api_department_id is not None:
        if department_id is not None and department_id != g.api_department_id:
            return _error(403, "forbidden", f"this token is limited to department {g.api_department_id}")
        department_id = g.api_department_id
    stmt = cycle_scores(cycle, department_id=department_id)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    values = {"cycle_id": cycle.id}
    if request.args.get("department") is not None:
        values["department"] = department_id
    body = _page_envelope([score_json(r) for r in rows], total, page, per_page, "api.cycle_scores", **values)
    body["cycle"] = {"id": cycle.id, "name": cycle.name, "state": cycle.state, "final": not cycle.is_open,
                     # an open cycle whose settings changed moments ago: these are the previous settings' scores
                     "recomputing": cycle.is_open and live.pending_recompute(cycle) is not None}
    return jsonify(body)

