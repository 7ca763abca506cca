"""Pages of app/quizzes (being built)."""

from flask import Blueprint

bp = Blueprint("quizzes", __name__)
