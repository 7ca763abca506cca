"""Pages of app/drills: one blueprint ``bp``, its views split per kind.

Importing each kind's ``routes`` module registers its views on ``bp`` (defined in ``blueprint``).
"""

from . import routes_list  # noqa: F401 (register views)
from .blueprint import bp
from .complaint import routes as complaint_routes  # noqa: F401 (register views)
from .language import routes as language_routes  # noqa: F401 (register views)
from .observation import routes as observation_routes  # noqa: F401 (register views)
from .scenario import routes as scenario_routes  # noqa: F401 (register views)

__all__ = ["bp"]
