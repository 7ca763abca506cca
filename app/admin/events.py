"""Audit events in words: the one table of action → description, and the names behind targets.

The audit trail stores codes (``auth.login``, ``employee:1``, ``{"from": "admin", "to": "trainee"}``)
so it stays exact and queryable; the log page reads them through :func:`describe`. An action that
is not in :data:`EVENTS` (a new one, or one from an older release) is shown by its code, so nothing
is ever hidden. Adding an event = one line here plus its translation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.appraisal.models import ApiToken, Cycle
from app.audit.models import AuditEvent
from app.extensions import db
from app.people.models import Employee
from app.results.kinds import get_kind
from app.training.models import Assignment
from app.ui.labels import role_label


@dataclass(frozen=True)
class EventText:
    #: a short name for the filter list
    title: object
    #: the sentence; placeholders: %(actor)s, %(target)s and any detail key
    sentence: object


EVENTS: dict[str, EventText] = {
    "auth.login": EventText(_l("Login"), _l("%(actor)s logged in")),
    "auth.login_failed": EventText(_l("Failed login"), _l("Failed login as %(employee_no)s (%(reason)s)")),
    "auth.logout": EventText(_l("Logout"), _l("%(actor)s logged out")),
    "auth.password_change": EventText(_l("Password change"), _l("%(actor)s changed the password of %(target)s")),
    "access.denied": EventText(_l("Access refused"), _l("%(actor)s was refused %(method)s %(path)s")),
    "people.create": EventText(_l("Account created"), _l("%(actor)s created the account of %(target)s")),
    "people.role_change": EventText(_l("Role changed"),
                                    _l("%(actor)s changed the role of %(target)s from %(from)s to %(to)s")),
    "people.activate": EventText(_l("Account activated"), _l("%(actor)s activated the account of %(target)s")),
    "people.deactivate": EventText(_l("Account deactivated"),
                                   _l("%(actor)s deactivated the account of %(target)s")),
    "people.import": EventText(_l("Employees imported"), _l("%(actor)s imported %(count)s employees")),
    "appraisal.cycle_create": EventText(_l("Cycle created"), _l("%(actor)s created the appraisal cycle %(target)s")),
    "appraisal.cycle_update": EventText(_l("Cycle edited"), _l("%(actor)s edited the appraisal cycle %(target)s")),
    "appraisal.cycle_close": EventText(_l("Cycle closed"), _l("%(actor)s closed the appraisal cycle %(target)s")),
    "appraisal.cycle_reopen": EventText(_l("Cycle reopened"),
                                        _l("%(actor)s reopened the appraisal cycle %(target)s")),
    "appraisal.adjust": EventText(_l("Score adjusted"), _l("%(actor)s adjusted the score of %(employee)s in %(target)s")),
    "appraisal.export": EventText(_l("Scores exported"), _l("%(actor)s exported %(target)s as %(format)s")),
    "appraisal.api_token_create": EventText(_l("API token created"), _l("%(actor)s created the API token %(target)s")),
    "appraisal.api_token_revoke": EventText(_l("API token revoked"), _l("%(actor)s revoked the API token %(target)s")),
    "training.assignment_created": EventText(_l("Assignment created"), _l("%(actor)s assigned %(target)s")),
    "training.assignment_changed": EventText(_l("Assignment changed"), _l("%(actor)s changed the assignment %(target)s")),
    "training.assignment_cancelled": EventText(_l("Assignment cancelled"),
                                               _l("%(actor)s cancelled the assignment %(target)s")),
    "training.attempts_reset": EventText(_l("Fresh attempts given"),
                                         _l("%(actor)s gave fresh attempts for the assignment %(target)s")),
    "training.plan_created": EventText(_l("Onboarding plan created"),
                                       _l("%(actor)s created the onboarding plan of %(target)s")),
    "training.plan_adjusted": EventText(_l("Onboarding plan adjusted"),
                                        _l("%(actor)s adjusted an onboarding plan: %(target)s")),
    "retest.confirmed": EventText(_l("Standard change confirmed"),
                                  _l("%(actor)s confirmed %(target)s: %(employees)s refresher(s), "
                                     "%(clauses)s clause(s), %(questions)s question(s), due %(due_date)s")),
    "retest.dismissed": EventText(_l("Standard change dismissed"),
                                  _l("%(actor)s dismissed %(target)s (%(clauses)s clause(s)): nobody is re-tested")),
    "certificates.revoke": EventText(_l("Certificate revoked"),
                                     _l("%(actor)s revoked the certificate %(number)s of %(employee)s: %(reason)s")),
}

#: detail keys whose value is a role code
_ROLE_KEYS = ("from", "to", "role")


class _Params(dict):
    """Format parameters; a placeholder with no value reads as a dash instead of failing."""

    def __missing__(self, key: str) -> str:
        return "—"


def action_title(action: str) -> str:
    event = EVENTS.get(action)
    return str(event.title) if event else action


def _person(employee: Employee | None) -> str:
    return f"{employee.name} ({employee.employee_no})" if employee else "—"


class _Names:
    """Loads, in one query per kind of object, the names the events of one page point at."""

    def __init__(self, events: list[AuditEvent]) -> None:
        ids: dict[str, set[int]] = {}
        for event in events:
            kind, _sep, raw = (event.target or "").partition(":")
            if raw.isdigit() and len(raw) < 19:
                ids.setdefault(kind, set()).add(int(raw))
        employee_ids = set(ids.get("employee", ()))
        for event in events:
            employee_id = (event.details or {}).get("employee_id")
            if isinstance(employee_id, int):
                employee_ids.add(employee_id)
        self.assignments = self._load(Assignment, ids.get("assignment"))
        employee_ids |= {a.employee_id for a in self.assignments.values()}
        self.employees = self._load(Employee, employee_ids)
        self.cycles = self._load(Cycle, ids.get("cycle"))
        self.tokens = self._load(ApiToken, ids.get("api_token"))
        self.titles = self._activity_titles(self.assignments.values())

    @staticmethod
    def _load(model, ids: Iterable[int] | None) -> dict[int, object]:
        ids = sorted(ids or ())
        return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}

    @staticmethod
    def _activity_titles(assignments: Iterable[Assignment]) -> dict[tuple[str, str], str]:
        wanted: dict[str, set[str]] = {}
        for a in assignments:
            wanted.setdefault(a.activity_kind, set()).add(a.activity_id)
        titles = {}
        for key, activity_ids in wanted.items():
            kind = get_kind(key)
            if kind is not None:
                titles.update({(key, i): t for i, t in kind.titles(activity_ids).items()})
        return titles

    def target(self, target: str) -> str:
        kind, _sep, raw = (target or "").partition(":")
        if kind == "employee" and raw == "*":
            return _("all employees")
        row_id = int(raw) if raw.isdigit() and len(raw) < 19 else None
        if kind == "employee" and row_id in self.employees:
            return _person(self.employees[row_id])
        if kind == "cycle" and row_id in self.cycles:
            return self.cycles[row_id].name
        if kind == "api_token" and row_id in self.tokens:
            return self.tokens[row_id].name
        if kind == "change_set" and row_id is not None:
            return _("standard change %(n)d", n=row_id)
        if kind == "assignment" and row_id in self.assignments:
            a = self.assignments[row_id]
            title = self.titles.get((a.activity_kind, a.activity_id), a.activity_id)
            return _("%(activity)s to %(person)s", activity=title, person=_person(self.employees.get(a.employee_id)))
        return target or "—"


@dataclass(frozen=True)
class DescribedEvent:
    event: AuditEvent
    actor: str
    target: str
    text: str


def describe(events: Iterable[AuditEvent]) -> list[DescribedEvent]:
    """Each event with its actor and target by name and its sentence (the code when unknown)."""
    events = list(events)
    names = _Names(events)
    described = []
    for event in events:
        actor = _person(event.actor) if event.actor_id is not None else _("the system")
        target = names.target(event.target)
        entry = EVENTS.get(event.action)
        if entry is None:
            text = event.action
        else:
            params = _Params({k: str(v) for k, v in (event.details or {}).items()})
            for key in _ROLE_KEYS:
                if key in params:
                    params[key] = role_label(params[key])
            employee_id = (event.details or {}).get("employee_id")
            if isinstance(employee_id, int):
                params["employee"] = _person(names.employees.get(employee_id))
            params.update(actor=actor, target=target)
            text = str(entry.sentence) % params
        described.append(DescribedEvent(event, actor, target, text))
    return described
