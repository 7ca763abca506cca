"""Background jobs (floor 1-2: knows no feature).

Feature packages write job functions (``JobContext -> result dict``) and app/blueprints.py
registers them as :class:`JobKind`; a route calls :func:`enqueue` and redirects to the job page
(``/jobs/<id>``), which shows a progress bar until the result is ready. With Redis
(``JOBS_BACKEND=rq``) an ``rq worker`` runs them; on the embedded default a background thread of
the web process does, after the request commits. See service.py for the life of a job.
"""

from app.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job
from app.jobs.progress import report
from app.jobs.registry import JobContext, JobError, JobKind, register_job_kind
from app.jobs.service import enqueue, run_job

__all__ = ["DONE", "FAILED", "QUEUED", "RUNNING", "Job", "JobContext", "JobError", "JobKind", "enqueue",
           "register_job_kind", "report", "run_job"]
