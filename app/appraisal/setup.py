"""Wiring of the appraisal layer into the app (being built)."""

from flask import Flask


def init_app(app: Flask) -> None:
    return None
