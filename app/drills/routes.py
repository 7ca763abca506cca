"""Pages of app/drills (being built)."""

from flask import Blueprint

bp = Blueprint("drills", __name__)
