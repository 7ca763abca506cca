"""Role-dependent navigation.

Each entry names an endpoint; entries whose blueprint is not registered are skipped, so this list
does not have to import the features it links to.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

ALL = ("trainee", "supervisor", "hr", "admin")
STAFF = ("supervisor", "hr", "admin")
OFFICE = ("hr", "admin")


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    roles: tuple[str, ...]


NAV = (
    NavItem("training.my_training", _l("My training"), ALL),
    NavItem("content.catalogue", _l("Courses"), ALL),
    NavItem("quizzes.quiz_list", _l("Quizzes"), ALL),
    NavItem("drills.drill_list", _l("Drills"), ALL),
    NavItem("content.handbook", _l("Handbook"), ALL),
    NavItem("content.search", _l("Search"), ALL),
    NavItem("training.team_dashboard", _l("My team"), ("supervisor",)),
    NavItem("appraisal.cycle_list", _l("Appraisal"), OFFICE),
    NavItem("certificates.hr_list", _l("Certificates"), OFFICE),
    NavItem("quizzes.item_analysis", _l("Item analysis"), OFFICE),
    NavItem("training.retest_list", _l("Standard changes"), OFFICE),
    NavItem("people.employee_list", _l("Employees"), STAFF),
    NavItem("people.team_list", _l("Teams"), OFFICE),
    NavItem("imports.upload", _l("Import employees"), OFFICE),
    NavItem("appraisal.api_tokens", _l("API tokens"), ("hr",)),
    NavItem("admin.audit_log", _l("Audit log"), ("admin",)),
    NavItem("admin.read_models", _l("Read models"), ("admin",)),
)


def navigation_for(user) -> list[tuple[str, object]]:
    """(url, label) pairs visible to ``user``; empty for anonymous visitors."""
    if user is None:
        return []
    endpoints = current_app.view_functions
    return [(url_for(item.endpoint), item.label) for item in NAV
            if user.role in item.roles and item.endpoint in endpoints]
