"""Pages of app/drills: one blueprint ``bp``, its views split per kind.

Importing the ``routes_*`` modules registers their views on ``bp`` (defined in ``blueprint``).
"""

from . import routes_exercises, routes_list, routes_observation, routes_scenario  # noqa: F401 (register views)
from .blueprint import bp

__all__ = ["bp"]
