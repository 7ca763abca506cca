"""Observations: a supervisor scores a member of their own teams against a checklist.

The rule "a supervisor acts only on members of their own teams; HR and admin on all" is
``app.people.permissions.can_manage_team_member``; it is checked here, in the service, so no
route can forget it. ``score = passed / observed × 100``; items marked "not observed" count in
neither, and each of them records why (a :class:`NotObservedReason`; "other" needs a note). Each submit is a new row (two supervisors observing at the same moment both keep
theirs); the form's one-time token makes a double submit of the same page harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from app.content.models import Clause
from app.extensions import db
from app.people.models import Employee, Role, Team
from app.people.permissions import EVERYONE_ROLES, can_manage_team_member
from app.results.services import record_result
from app.timeutil import utcnow
from app.ui.formatting import round_score
from app.ui.validators import bad_characters

from ..common.errors import DrillError, NotAllowed
from ..common.policy import attempt_state, check_can_attempt
from ..common.tokens import TOKEN_RE
from .kind import ObservationKind
from .models import Checklist, Mark, NotObservedReason, Observation, ObservationMark, ObservationMarkClause

logger = logging.getLogger(__name__)
MAX_NOTE_LENGTH = 500
MARKS = tuple(m.value for m in Mark)
REASONS = tuple(r.value for r in NotObservedReason)


def can_observe(viewer: Employee) -> bool:
    return viewer.role == Role.SUPERVISOR.value or viewer.role in EVERYONE_ROLES


def observable_employees(viewer: Employee) -> Select:
    """Active employees ``viewer`` may observe: their teams' members (supervisors), anyone else
    (HR, admin). Order and filter it further as needed."""
    stmt = select(Employee).where(Employee.active.is_(True), Employee.id != viewer.id)
    if viewer.role in EVERYONE_ROLES:
        return stmt
    if viewer.role == Role.SUPERVISOR.value:
        return stmt.where(Employee.team_id.in_(select(Team.id).where(Team.leader_id == viewer.id)))
    return stmt.where(False)


@dataclass
class ItemMark:
    mark: str
    note: str = ""
    #: for a not-observed item: one of REASONS (ignored for pass and fail)
    reason: str = ""


def active_checklist(checklist_id: str) -> Checklist:
    checklist = db.session.get(Checklist, checklist_id)
    if checklist is None or checklist.retired:
        raise DrillError(_l("This checklist is not available."))
    return checklist


def submit_observation(observer: Employee, employee: Employee, checklist_id: str, marks: dict[str, ItemMark],
                       token: str, content_hash: str | None = None, now: dt.datetime | None = None) -> Observation:
    """Store one observation. ``marks`` maps every item id of the checklist to its mark.

    ``content_hash`` is the checklist version the form showed: when the checklist changed in
    between, the marks may not fit any more and the observer is asked to reload.
    """
    if not can_manage_team_member(observer, employee):
        raise NotAllowed(_l("You can only observe members of your own teams."))
    if not TOKEN_RE.match(token or ""):
        raise DrillError(_l("This form has expired. Please open it again."))
    existing = db.session.scalar(select(Observation).where(Observation.token == token))
    if existing is not None:
        if existing.observer_id != observer.id:
            raise NotAllowed(_l("This form was not yours."))
        return existing
    checklist = active_checklist(checklist_id)
    if content_hash is not None and content_hash != checklist.content_hash:
        raise DrillError(_l("The checklist changed while you were filling it in. Your marks are shown again; "
                            "please check them and submit."))
    items = checklist.spec["items"]
    unmarked = [item["text"] for item in items if getattr(marks.get(item["id"]), "mark", None) not in MARKS]
    if unmarked:
        raise DrillError(_l("Mark every item (pass, fail or not observed). Missing: %(items)s",
                            items="、".join(unmarked)))
    unexplained = [item["text"] for item in items if marks[item["id"]].mark == Mark.NOT_OBSERVED.value
                   and not _reason_given(marks[item["id"]])]
    if unexplained:
        raise DrillError(_l("Say why each item was not observed (pick a reason; \"other\" needs a note). "
                            "Missing: %(items)s", items="、".join(unexplained)))
    garbled = [item["text"] for item in items if bad_characters(marks[item["id"]].note or "", multiline=True)]
    if garbled:
        raise DrillError(_l("Remove the invisible control characters from the note of: %(items)s",
                            items="、".join(garbled)))
    passed = sum(1 for item in items if marks[item["id"]].mark == Mark.PASS.value)
    observed = sum(1 for item in items if marks[item["id"]].mark != Mark.NOT_OBSERVED.value)
    if observed == 0:
        raise DrillError(_l("Nothing was observed: mark at least one item pass or fail before submitting."))
    now = now or utcnow()
    state = attempt_state(ObservationKind.key, employee.id, checklist.id, checklist.spec, now)
    check_can_attempt(state)  # unlimited by default; a checklist may set max_attempts / cooldown_minutes
    observation = Observation(checklist_id=checklist.id, content_hash=checklist.content_hash,
                              employee_id=employee.id, observer_id=observer.id, token=token, passed=passed,
                              observed=observed, score=round_score(100 * passed / observed), observed_at=now)
    for position, item in enumerate(items):
        given = marks[item["id"]]
        mark = ObservationMark(item_id=item["id"], position=position, text=item["text"], mark=given.mark,
                               note=(given.note or "").strip()[:MAX_NOTE_LENGTH],
                               not_observed_reason=given.reason if given.mark == Mark.NOT_OBSERVED.value else "")
        mark.clauses = [ObservationMarkClause(clause_id=c["id"]) for c in item["cites"]]
        observation.marks.append(mark)
    try:
        with db.session.begin_nested():
            db.session.add(observation)
    except IntegrityError:
        existing = db.session.scalar(select(Observation).where(Observation.token == token))
        if existing is None:
            raise
        return existing
    record_result(employee_id=employee.id, kind=ObservationKind.key, activity_id=checklist.id,
                  source_id=observation.id, score=observation.score, finished_at=now,
                  passed=state.policy.passed(observation.score))
    logger.info("observation %s of %s by %s on %s: %s/%s", observation.id, employee.employee_no,
                observer.employee_no, checklist.id, passed, observed)
    return observation


def _reason_given(given: ItemMark) -> bool:
    if given.reason not in REASONS:
        return False
    return given.reason != NotObservedReason.OTHER.value or bool((given.note or "").strip())


def clause_texts(clause_ids: list[str]) -> dict[str, Clause]:
    """The catalog clauses for ``clause_ids`` (retired ones too: old records keep their meaning)."""
    if not clause_ids:
        return {}
    return {c.id: c for c in db.session.scalars(select(Clause).where(Clause.id.in_(set(clause_ids))))}


def cited_clauses_to_reread(observation: Observation) -> list[Clause]:
    """The clauses cited by the failed items, each once, in checklist order."""
    ids = [c.clause_id for mark in observation.marks if mark.mark == Mark.FAIL.value for c in mark.clauses]
    ids = list(dict.fromkeys(ids))
    found = clause_texts(ids)
    return [found[i] for i in ids if i in found]
