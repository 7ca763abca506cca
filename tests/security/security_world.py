"""One "world" for the security tests: the demo organisation plus the objects every route needs.

Built with the services (never raw rows where a service exists): the content is synced, the demo
seeders create departments, teams, supervisors, trainees, attempts, runs, submissions,
observations, assignments and cycles; then each persona and each "other" employee gets the objects
the demo does not give them (an open attempt, an open run, an observation about them …), and HR
creates one live and one revoked API token.

Personas (the users who make requests): T001 (trainee, 前台一班), S001 (supervisor leading 前台一班),
H001 (hr), A001 (admin). Object owners by kind, relative to a persona:
``own`` (the persona), ``team`` (T002, in 前台一班), ``other_team`` (T006, 前台二班, same
department) and ``other_dept`` (T011, 维修班 of 工程部).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.appraisal.models import ApiToken, Cycle
from app.appraisal.tokens import create_token, revoke_token
from app.certificates import services as certificates
from app.content.models import Course, Lesson
from app.demo.cli import seed_organisation
from app.demo.drills import _complaint, _language, _observe
from app.demo.people import DEMO_PASSWORD
from app.drills.models import (
    Checklist,
    ComplaintExercise,
    ComplaintSubmission,
    LanguageAnswer,
    LanguagePrompt,
    Observation,
    RunState,
    Scenario,
    ScenarioRun,
)
from app.drills.scenario.services import choose, start_run
from app.extensions import db
from app.jobs.models import Job
from app.people.models import Employee, Team
from app.quizzes.attempts import NoAttemptsLeft, QuizUnavailable, start_attempt, submit_attempt
from app.quizzes.models import Attempt, AttemptState, Quiz
from app.training.models import Assignment, AssignmentSource

PERSONAS = {"trainee": "T001", "supervisor": "S001", "hr": "H001", "admin": "A001"}
ROLES = ("anonymous", "trainee", "supervisor", "hr", "admin")
KINDS = ("own", "team", "other_team", "other_dept")
OWNER_OF_KIND = {"team": "T002", "other_team": "T006", "other_dept": "T011"}
#: who may observe whom, to give every owner an observation about them
OBSERVER_OF = {"T001": "S001", "T002": "S001", "T006": "S002", "T011": "S003", "S001": "H001",
               "H001": "A001", "A001": "H001"}
#: tables a forbidden request may legitimately touch: the audit trail records the denial, and the
#: reminder hook may write notifications on any page load
VOLATILE_TABLES = {"audit_event", "notification"}
#: the catalog: written only by `flask content sync`, never by a request (left out of the digest for speed)
CATALOG_TABLES = {"course", "course_lesson", "lesson", "clause", "question", "question_citation", "quiz", "scenario",
                  "checklist", "complaint_exercise", "language_prompt"}


@dataclass
class World:
    people: dict[str, Employee]
    objects: dict[tuple[str, str], int] = field(default_factory=dict)  # (object type, owner no) -> id
    teams: dict[str, int] = field(default_factory=dict)
    catalog: dict[str, str] = field(default_factory=dict)
    cycle_id: int = 0
    closed_cycle_id: int = 0
    token_plain: str = ""
    revoked_plain: str = ""
    revoked_token_id: int = 0
    live_token_id: int = 0
    #: a pending standard change (HR's /training/standard-changes pages)
    change_set_id: int = 0
    #: the verification code of T001's certificate (the public page)
    verify_code: str = ""
    password: str = DEMO_PASSWORD

    def owner(self, role: str, kind: str) -> str:
        if kind == "own":
            return PERSONAS.get(role, "T001")
        return OWNER_OF_KIND[kind]

    def names_hidden_from(self, role: str) -> dict[str, str]:
        """employee_no -> name of the trainees whose data ``role``'s persona must never see."""
        if role == "trainee":
            hidden = [no for no in self.people if no.startswith("T") and no != "T001"]
        elif role == "supervisor":
            hidden = [no for no in self.people if no.startswith("T") and no not in {f"T00{n}" for n in range(1, 6)}]
        else:
            return {}
        return {no: self.people[no].name for no in hidden}


def _first(model, order) -> str:
    return db.session.scalar(select(model.id).where(model.retired.is_(False)).order_by(*order).limit(1))


def _finished_attempt(employee: Employee, quizzes: list[str]) -> int:
    done = db.session.scalar(select(Attempt.id).where(Attempt.employee_id == employee.id,
                                                      Attempt.state != AttemptState.IN_PROGRESS.value).limit(1))
    if done:
        return done
    for quiz_id in quizzes:
        try:
            attempt, _created = start_attempt(employee.id, quiz_id)
        except (NoAttemptsLeft, QuizUnavailable):
            continue
        submit_attempt(attempt.id, employee.id)
        return attempt.id
    raise AssertionError(f"no quiz left to finish for {employee.employee_no}")


def _open_attempt(employee: Employee, quizzes: list[str]) -> int:
    current = db.session.scalar(select(Attempt.id).where(Attempt.employee_id == employee.id,
                                                         Attempt.state == AttemptState.IN_PROGRESS.value).limit(1))
    if current:
        return current
    for quiz_id in quizzes:
        try:
            attempt, _created = start_attempt(employee.id, quiz_id)
        except (NoAttemptsLeft, QuizUnavailable):
            continue
        return attempt.id
    raise AssertionError(f"no quiz left to open for {employee.employee_no}")


def _runs(employee: Employee, scenarios: list[str]) -> tuple[int, int]:
    """(a finished run, an open run) of the employee."""
    runs = db.session.scalars(select(ScenarioRun).where(ScenarioRun.employee_id == employee.id)).all()
    finished = next((r.id for r in runs if r.state != RunState.IN_PROGRESS.value), None)
    opened = next((r.id for r in runs if r.state == RunState.IN_PROGRESS.value), None)
    played = {r.scenario_id for r in runs}
    fresh = [s for s in scenarios if s not in played]
    if finished is None:
        run = start_run(employee, fresh.pop(0))
        for _step in range(60):
            if run.finished:
                break
            choices = run.version.spec["nodes"][run.current_node]["choices"]
            best = max(range(len(choices)), key=lambda i: choices[i]["score"])
            choose(run.id, employee.id, run.position, run.current_node, best)
        assert run.finished
        finished = run.id
    if opened is None:
        opened = start_run(employee, fresh.pop(0)).id
    return finished, opened


def _change_set(now) -> int:
    from app.content.changes import ClauseChange, record_change_set
    from app.content.models import ChangeKind

    change = ClauseChange("phone.answer.rings", "phone", "phone.answer", ChangeKind.CHANGED, "0" * 64, "1" * 64,
                          "铃响三声之内接起", "铃响两声之内接起")
    return record_change_set([change], "v" * 64, now).id


def build_world() -> World:
    today = dt.date.today()
    seed_organisation(today)
    people = {e.employee_no: e for e in db.session.scalars(select(Employee))}
    for employee in people.values():  # names no lesson text contains, so a page naming them is a leak
        if not employee.name.endswith(employee.employee_no):
            employee.name = f"{employee.name}{employee.employee_no}"
    world = World(people=people)
    quizzes = list(db.session.scalars(select(Quiz.id).where(Quiz.retired.is_(False)).order_by(Quiz.position, Quiz.id)))
    scenarios = list(db.session.scalars(select(Scenario.id).where(Scenario.retired.is_(False))
                                        .order_by(Scenario.position, Scenario.id)))
    exercise = _first(ComplaintExercise, (ComplaintExercise.position, ComplaintExercise.id))
    prompt = _first(LanguagePrompt, (LanguagePrompt.position, LanguagePrompt.id))
    checklist = _first(Checklist, (Checklist.position, Checklist.id))
    world.catalog = {
        "quiz": quizzes[0], "scenario": scenarios[0], "exercise": exercise, "prompt": prompt,
        "checklist": checklist, "lesson": db.session.scalar(select(Lesson.id).order_by(Lesson.id).limit(1)),
        "course": db.session.scalar(select(Course.id).order_by(Course.id).limit(1)),
    }
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for no in ("T001", "T002", "T006", "T011", "S001", "H001", "A001"):
        employee = people[no]
        world.objects[("employee", no)] = employee.id
        world.objects[("attempt", no)] = _finished_attempt(employee, quizzes)
        world.objects[("open_attempt", no)] = _open_attempt(employee, quizzes)
        world.objects[("run", no)], world.objects[("open_run", no)] = _runs(employee, scenarios)
        _complaint(employee, exercise, now)
        _language(employee, prompt, now)
        _observe(people[OBSERVER_OF[no]], employee, checklist, now)
        db.session.flush()
        world.objects[("complaint", no)] = db.session.scalar(select(ComplaintSubmission.id).where(
            ComplaintSubmission.employee_id == employee.id).limit(1))
        world.objects[("language", no)] = db.session.scalar(select(LanguageAnswer.id).where(
            LanguageAnswer.employee_id == employee.id).limit(1))
        world.objects[("observation", no)] = db.session.scalar(select(Observation.id).where(
            Observation.employee_id == employee.id).order_by(Observation.id).limit(1))
        assignment = db.session.scalar(select(Assignment.id).where(
            Assignment.employee_id == employee.id, Assignment.cancelled_at.is_(None)).limit(1))
        if assignment is None:
            row = Assignment(employee_id=employee.id, activity_kind="quiz", activity_id=quizzes[0],
                             assigned_by_id=people["H001"].id, due_date=today + dt.timedelta(days=7),
                             note="", source=AssignmentSource.MANUAL.value, created_at=now)
            db.session.add(row)
            db.session.flush()
            assignment = row.id
        world.objects[("assignment", no)] = assignment
        cert = (certificates.current_certificate(employee.id, "new-hire")
                or certificates.issue(employee.id, "new-hire", score=90.0, now=now))
        world.objects[("certificate", no)] = cert.id
        if no == "T001":
            world.verify_code = cert.verification_code
    db.session.commit()
    teams = {t.name: t.id for t in db.session.scalars(select(Team))}
    world.teams = {"own": teams["前台一班"], "other_team": teams["前台二班"], "other_dept": teams["维修班"]}
    cycles = {c.state: c.id for c in db.session.scalars(select(Cycle))}
    world.cycle_id, world.closed_cycle_id = cycles["open"], cycles["closed"]
    hr = people["H001"].id
    live, world.token_plain = create_token("hr-system", actor_id=hr)
    revoked, world.revoked_plain = create_token("old-system", actor_id=hr)
    db.session.flush()
    revoke_token(revoked.id, actor_id=hr)
    world.live_token_id, world.revoked_token_id = live.id, revoked.id
    _jobs(world, now)
    world.change_set_id = _change_set(now)
    db.session.commit()
    assert db.session.get(ApiToken, revoked.id).revoked_at is not None
    return world


def _jobs(world: World, now: dt.datetime) -> None:
    """Per persona and owner: a finished export job with its file, and a failed job (retry)."""
    directory = Path(current_app.config["JOBS_FILES_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for no in ("T001", "T002", "T006", "T011", "S001", "H001", "A001"):
        owner = world.people[no].id
        name = f"job-world-{no}.csv"
        (directory / name).write_text("工号\r\n", encoding="utf-8")
        done = Job(kind="appraisal.export", key=f"world:{no}", params={"cycle_id": world.cycle_id, "fmt": "csv"},
                   state="done", progress=100, message="", error="", attempts=1, created_by_id=owner,
                   created_at=now, updated_at=now, finished_at=now,
                   result={"file": name, "download_name": name, "mimetype": "text/csv"})
        failed = Job(kind="appraisal.close", key=f"world-failed:{no}", params={"cycle_id": world.cycle_id},
                     state="failed", progress=10, message="", error="boom", attempts=1, created_by_id=owner,
                     created_at=now, updated_at=now, finished_at=now)
        db.session.add_all([done, failed])
        db.session.flush()
        world.objects[("job", no)], world.objects[("failed_job", no)] = done.id, failed.id


def fingerprint(exclude: set[str] = VOLATILE_TABLES | CATALOG_TABLES) -> dict[str, str]:
    """A digest of every table's rows (except ``exclude``): equal digests mean nothing changed."""
    digests = {}
    for table in db.metadata.sorted_tables:
        if table.name in exclude:
            continue
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        digests[table.name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    db.session.rollback()
    return digests


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))
