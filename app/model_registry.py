"""Imports every model module so that the metadata is complete (Alembic, create_all).

Only ``create_app`` imports this; feature code imports the models it needs directly.
"""

from app.people import models as people_models  # noqa: F401
