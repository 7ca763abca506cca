"""The app under benchmark: the real application plus one bare hello-world route, the baseline.

Served by gunicorn as ``bench.bench_app:app`` so that the baseline goes through the very same
process, middleware (security headers, sessions, CSRF setup) and configuration as the measured
pages. The route exists only here: the product has no public hello-world page.
"""

from flask import Blueprint

from app import create_app

bench_bp = Blueprint("bench", __name__, url_prefix="/bench")


@bench_bp.get("/hello")
def hello():
    return "Hello, world!"


app = create_app()
app.register_blueprint(bench_bp)
