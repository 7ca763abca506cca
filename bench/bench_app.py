"""The app under benchmark: the real application plus one bare hello-world route, the baseline.

Served by gunicorn as ``bench.bench_app:app`` so that the baseline goes through the very same
process, middleware (security headers, sessions, CSRF setup) and configuration as the measured
pages. The routes exist only here: the product has no public hello-world page.
"""

from flask import Blueprint, render_template
from flask_login import login_required

from app import create_app

bench_bp = Blueprint("bench", __name__, url_prefix="/bench", template_folder="templates")


@bench_bp.get("/hello")
def hello():
    return "Hello, world!"


@bench_bp.get("/page")
@login_required
def empty_page():
    """The floor of every page: a logged-in request (session, the user, the reminder check, the navbar
    badge) rendering the site's layout around one sentence; no page of the app can be cheaper."""
    return render_template("bench/empty_page.html")


app = create_app()
app.register_blueprint(bench_bp)
