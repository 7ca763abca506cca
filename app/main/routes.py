"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

bp = Blueprint("main", __name__)


#: role → the endpoint of its home page
ROLE_HOMES = {"trainee": "training.my_training", "supervisor": "training.team_dashboard",
              "hr": "appraisal.cycle_list", "admin": "people.employee_list"}


@bp.route("/")
@login_required
def index():
    """Each role lands where its work is: trainees on their training, supervisors on the team
    dashboard, HR on the appraisal cycles, administrators on the people list. ``?menu=1`` (and a
    role whose home is not installed) shows the menu of cards."""
    endpoint = ROLE_HOMES.get(current_user.role)
    if endpoint in current_app.view_functions and not request.args.get("menu"):
        return redirect(url_for(endpoint))
    return render_template("main/index.html")


@bp.route("/healthz")
def healthz():
    """Liveness and database reachability, for load balancers and `make run` checks."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", db="unreachable"), 503
    return jsonify(status="ok", db="ok")
