"""The floors of the house (DESIGN §1), checked on the source: imports point downward only.

Read with ``ast`` (no import side effects): every ``from app.X…`` / ``import app.X…`` in every
module of a package, lazy imports inside functions included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
#: modules that wire everything together (they import every feature by design)
WIRING = {"__init__", "blueprints", "model_registry", "demo"}
ACTIVITY_PACKAGES = {"quizzes", "drills"}


def _imports(package: str) -> dict[str, set[str]]:
    """module path → the top-level app packages it imports (TYPE_CHECKING blocks excluded)."""
    found: dict[str, set[str]] = {}
    for path in sorted((APP / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                     and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
        targets = set()
        for node in ast.walk(tree):
            if id(node) in type_only:
                continue
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "app" and len(parts) > 1:
                    targets.add(parts[1])
        found[str(path.relative_to(APP))] = targets - {package}
    return found


def _packages() -> list[str]:
    return sorted(p.name for p in APP.iterdir() if p.is_dir() and (p / "__init__.py").exists()
                  and p.name not in WIRING)


def _graph() -> dict[str, set[str]]:
    return {pkg: set().union(*_imports(pkg).values()) - WIRING for pkg in _packages()}


@pytest.mark.parametrize("upper", ["training", "appraisal", "results", "content"])
def test_upper_floors_import_no_activity_package(upper):
    offenders = {module: sorted(targets & ACTIVITY_PACKAGES)
                 for module, targets in _imports(upper).items() if targets & ACTIVITY_PACKAGES}
    assert offenders == {}


def test_activity_packages_are_siblings():
    assert "drills" not in _graph()["quizzes"] and "quizzes" not in _graph()["drills"]


def test_no_import_cycles_between_packages():
    graph = _graph()
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for target in sorted(graph.get(node, ())):
            if target in path:
                cycles.append(path[path.index(target):] + [target])
            elif len(path) < len(graph):
                visit(target, path + [target])

    for start in graph:
        visit(start, [start])
    assert cycles == []


def test_people_sits_below_auth_and_above_audit():
    graph = _graph()
    assert "auth" not in graph["people"] and "people" not in graph["audit"]


def test_jobs_knows_no_feature():
    """app/jobs sits on floor 1-2: features register their job kinds (app/blueprints.py), never the reverse."""
    assert _graph()["jobs"] <= {"extensions", "database", "timeutil", "config", "audit"}
    assert "jobs" in _graph()["appraisal"] and "jobs" in _graph()["people"]
