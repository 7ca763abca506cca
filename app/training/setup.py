"""Wiring of the training layer into the app (being built)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.training.routes import bp

    app.register_blueprint(bp)
