"""Imports every model module so that the metadata is complete (Alembic, create_all).

Only ``create_app`` imports this; feature code imports the models it needs directly.
"""

from app.appraisal import models as appraisal_models  # noqa: F401
from app.audit import models as audit_models  # noqa: F401
from app.certificates import models as certificates_models  # noqa: F401
from app.content import models as content_models  # noqa: F401
from app.drills import models as drills_models  # noqa: F401
from app.jobs import models as jobs_models  # noqa: F401
from app.people import models as people_models  # noqa: F401
from app.quizzes import models as quizzes_models  # noqa: F401
from app.results import models as results_models  # noqa: F401
from app.training import models as training_models  # noqa: F401
