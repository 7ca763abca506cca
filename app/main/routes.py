"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    """Trainees land on their training plan; everyone else on the role's menu of cards."""
    if current_user.role == "trainee" and "training.my_training" in current_app.view_functions:
        return redirect(url_for("training.my_training"))
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
