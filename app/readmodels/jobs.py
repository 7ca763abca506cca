"""The ``readmodels.rebuild`` background job: recompute read models from the source tables.

Idempotent: a rebuild replaces every row of each read model, in the job's one transaction (an
interrupted job leaves the old rows; running it twice gives the same rows). The key holds the
minute, so a double click queues one job while a later click rebuilds again.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.jobs import JobContext, JobError, JobKind, enqueue
from app.readmodels.registry import all_read_models, get_read_model
from app.readmodels.statistics import refresh_statistics
from app.timeutil import utcnow

REBUILD = "readmodels.rebuild"


def enqueue_rebuild(names: list[str] | None = None, *, actor_id: int | None):
    """Queue a rebuild of ``names`` (None: every read model); the caller commits."""
    names = sorted(names or [])
    key = f"{','.join(names) or 'all'}:{utcnow():%Y%m%dT%H%M}"
    return enqueue(REBUILD, {"only": names}, key=key, actor=actor_id)


def run_rebuild(ctx: JobContext) -> dict:
    try:
        models = [get_read_model(name) for name in ctx.params.get("only") or []] or all_read_models()
    except KeyError as exc:
        raise JobError(str(exc.args[0])) from None
    rows: dict[str, int] = {}
    for index, model in enumerate(models):
        ctx.report(100 * index / max(len(models), 1), _("Rebuilding %(name)s…", name=model.name))
        rows[model.name] = model.rebuild()
    ctx.on_success.append(lambda: refresh_statistics(models))  # once the rebuilt rows are committed
    return {"rows": rows}


REBUILD_JOB = JobKind(REBUILD, run_rebuild, _l("Rebuilding the read models"))
JOB_KINDS = (REBUILD_JOB,)
