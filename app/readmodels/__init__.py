"""Read models (floor 1-2: knows no feature): tables that pages read, maintained on write.

Each feature package owns its read models (their tables, the incremental update it runs in the
same transaction as the write, and a ``rebuild`` that recomputes them from the source tables) and
app/blueprints.py registers them here as :class:`ReadModel`. ``flask readmodels rebuild`` and the
``readmodels.rebuild`` background job loop over the registry; a test per read model proves that
rebuild and incremental maintenance give identical rows.
"""

from app.readmodels.registry import ReadModel, all_read_models, get_read_model, register_read_model

__all__ = ["ReadModel", "all_read_models", "get_read_model", "register_read_model"]
