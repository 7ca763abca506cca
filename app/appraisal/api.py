"""The HR read API (``/api/v1``): cycles and their scores as paginated JSON, for the HR system.

Authentication is an API token in ``Authorization: Bearer <token>`` and nothing else: a browser
session (even HR's) does not authenticate here, so a logged-in trainee's cookie gets 401 like
anyone else. Tokens are created and revoked by HR on the "API tokens" page.
"""

from __future__ import annotations

import logging

from flask import Blueprint, g, jsonify, request, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.appraisal import tokens
from app.appraisal.exports.columns import BAND_LABELS_ZH
from app.appraisal.models import Cycle
from app.appraisal.snapshots import cycle_scores
from app.extensions import db

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
        return _error(401, "invalid_token", "the token is unknown or revoked")
    g.api_token_id = token.id
    try:
        if tokens.touch(token):
            db.session.commit()
    except OperationalError:  # recording last use must never fail a read (busy SQLite writer)
        db.session.rollback()
        logger.warning("could not record the use of API token %s", token.id)
    return None


def _pagination() -> tuple[int, int] | None:
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", DEFAULT_PER_PAGE))
    except ValueError:
        return None
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
    return _error(400, "bad_request", f"page >= 1 and 1 <= per_page <= {MAX_PER_PAGE}")


def cycle_json(cycle: Cycle) -> dict:
    return {
        "id": cycle.id, "name": cycle.name, "starts_on": cycle.starts_on.isoformat(),
        "ends_on": cycle.ends_on.isoformat(), "state": cycle.state, "policy": cycle.policy,
        "scope": cycle.scope, "departments": [{"id": d.id, "name": d.name} for d in cycle.departments],
        "weights": cycle.weights, "bands": cycle.bands, "version": cycle.version,
        "closed_at": cycle.closed_at.isoformat(timespec="seconds") + "Z" if cycle.closed_at else None,
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
    total = db.session.scalar(select(func.count()).select_from(Cycle))
    rows = db.session.scalars(select(Cycle).order_by(Cycle.starts_on.desc(), Cycle.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return jsonify(_page_envelope([cycle_json(c) for c in rows], total, page, per_page, "api.cycles"))


@bp.get("/cycles/<int:cycle_id>/scores", endpoint="cycle_scores")
def cycle_scores_view(cycle_id: int):
    cycle = db.session.get(Cycle, cycle_id)
    if cycle is None:
        return _error(404, "not_found", "no such cycle")
    paging = _pagination()
    if paging is None:
        return _bad_pagination()
    page, per_page = paging
    department_id = request.args.get("department", type=int)
    stmt = cycle_scores(cycle, department_id=department_id)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    values = {"cycle_id": cycle.id}
    if department_id is not None:
        values["department"] = department_id
    body = _page_envelope([score_json(r) for r in rows], total, page, per_page, "api.cycle_scores", **values)
    body["cycle"] = {"id": cycle.id, "name": cycle.name, "state": cycle.state, "final": not cycle.is_open}
    return jsonify(body)

