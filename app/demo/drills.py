"""Demo data for app/drills: finished role-plays, complaint forms, language answers, observations.

Everything goes through the drill services (so Result rows exist, exactly as for real use) with
back-dated times. Idempotent: an item a demo person already did is skipped, so running
``flask demo seed`` again changes nothing. Choices are deterministic (seeded by 工号 and item),
with a per-person skill level so the demo shows a spread of scores.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

from sqlalchemy import select

from app.drills.common.tokens import new_token
from app.drills.complaint.services import submit_complaint
from app.drills.language.services import submit_language
from app.drills.models import (
    Checklist,
    ComplaintExercise,
    ComplaintSubmission,
    LanguageAnswer,
    LanguagePrompt,
    Observation,
    Scenario,
    ScenarioRun,
)
from app.drills.observation.services import ItemMark, submit_observation
from app.drills.scenario.services import choose, start_run
from app.extensions import db
from app.people.models import Employee

logger = logging.getLogger(__name__)

#: 工号 → chance of picking the best option (the rest is spread over the other options)
SKILL = {"T001": 0.9, "T002": 0.5, "T003": 0.75, "T004": 0.6, "T005": 0.95, "T006": 0.7, "T007": 0.4,
         "T008": 0.85, "T009": 0.65, "T010": 0.55, "T011": 0.6, "T012": 0.8, "T013": 0.5, "T014": 0.7,
         "T015": 0.45}
DESK_TRAINEES = [f"T{n:03d}" for n in range(1, 11)]
#: supervisor → (their trainees, checklists they observe)
OBSERVATIONS = {"S001": (DESK_TRAINEES[:5], ("grooming", "phone")),
                "S002": (DESK_TRAINEES[5:], ("grooming", "complaint-reception"))}
MAX_DEMO_STEPS = 40


def seed_drills(today: dt.date) -> None:
    people = {e.employee_no: e for e in db.session.scalars(select(Employee))}
    if not db.session.scalar(select(Scenario.id).limit(1)):
        logger.info("demo drills: no drill catalog (run `flask content sync`); nothing seeded")
        return
    scenarios = _ids(Scenario)
    exercises = _ids(ComplaintExercise)
    prompts = _ids(LanguagePrompt)
    for index, employee_no in enumerate(DESK_TRAINEES):
        employee = people.get(employee_no)
        if employee is None:
            continue
        for k, scenario_id in enumerate(_pick(scenarios, index, 4)):
            _play(employee, scenario_id, _when(today, 28 - 2 * k - index % 3, 10 + k))
        for k, exercise_id in enumerate(_pick(exercises, index, 2)):
            _complaint(employee, exercise_id, _when(today, 20 - 3 * k - index % 4, 14 + k))
        for k, prompt_id in enumerate(_pick(prompts, index, 4)):
            _language(employee, prompt_id, _when(today, 15 - 2 * k - index % 5, 16))
    for employee_no in ("T011", "T012", "T013", "T014", "T015"):
        employee = people.get(employee_no)
        if employee is not None:
            for k, prompt_id in enumerate(_pick(prompts, int(employee_no[1:]), 2)):
                _language(employee, prompt_id, _when(today, 9 - k, 11))
    first = people.get("T001")
    if first is not None:  # a run left half way, to show "continue"
        played = set(db.session.scalars(select(ScenarioRun.scenario_id).where(ScenarioRun.employee_id == first.id)))
        fresh = [scenario_id for scenario_id in scenarios if scenario_id not in played]
        if fresh:
            _play(first, fresh[-1], _when(today, 1, 9), stop_after=2)
    for supervisor_no, (trainees, checklists) in OBSERVATIONS.items():
        observer = people.get(supervisor_no)
        for k, employee_no in enumerate(trainees):
            employee = people.get(employee_no)
            if observer is None or employee is None:
                continue
            for j, checklist_id in enumerate(checklists):
                _observe(observer, employee, checklist_id, _when(today, 12 - 3 * j - k, 9 + k))
    db.session.flush()


def _ids(model) -> list[str]:
    return list(db.session.scalars(select(model.id).where(model.retired.is_(False)).order_by(model.position, model.id)))


def _pick(ids: list[str], offset: int, count: int) -> list[str]:
    return [ids[(offset + i) % len(ids)] for i in range(min(count, len(ids)))] if ids else []


def _when(today: dt.date, days_ago: int, hour: int) -> dt.datetime:
    """A naive UTC time on a past day (hours given in Beijing time, UTC+8)."""
    day = today - dt.timedelta(days=max(days_ago, 1))
    return dt.datetime.combine(day, dt.time(hour % 24)) - dt.timedelta(hours=8)


def _rng(employee: Employee, item: str) -> random.Random:
    return random.Random(f"{employee.employee_no}:{item}")


def _play(employee: Employee, scenario_id: str, when: dt.datetime, stop_after: int | None = None) -> None:
    done = db.session.scalar(select(ScenarioRun.id).where(ScenarioRun.employee_id == employee.id,
                                                          ScenarioRun.scenario_id == scenario_id))
    if done is not None:
        return
    rng = _rng(employee, scenario_id)
    skill = SKILL.get(employee.employee_no, 0.6)
    run = start_run(employee, scenario_id, now=when)
    for step in range(MAX_DEMO_STEPS):
        if run.finished or (stop_after is not None and step >= stop_after):
            break
        choices = run.version.spec["nodes"][run.current_node]["choices"]
        ranked = sorted(range(len(choices)), key=lambda i: -choices[i]["score"])
        best_only = step >= MAX_DEMO_STEPS // 2 or rng.random() < skill
        index = ranked[0] if best_only or len(ranked) == 1 else rng.choice(ranked[1:])
        when += dt.timedelta(seconds=rng.randint(20, 90))
        choose(run.id, employee.id, run.position, run.current_node, index, now=when)


def _complaint(employee: Employee, exercise_id: str, when: dt.datetime) -> None:
    if db.session.scalar(select(ComplaintSubmission.id).where(ComplaintSubmission.employee_id == employee.id,
                                                              ComplaintSubmission.exercise_id == exercise_id)):
        return
    exercise = db.session.get(ComplaintExercise, exercise_id)
    rng = _rng(employee, exercise_id)
    skill = SKILL.get(employee.employee_no, 0.6)
    answers: dict[str, str] = {}
    for code, expected in exercise.spec["fields"].items():
        facts = [synonyms[0] for synonyms in expected["facts"] if rng.random() < skill + 0.15]
        text = "，".join(facts)
        answers[code] = text if len(text) >= 2 else text + "记录不全"  # a blank part is refused
    for code, rule in exercise.spec["rules"].items():
        answers[code] = rule["expected"] if rng.random() < skill + 0.1 else _wrong(code, rule["expected"], rng)
    submit_complaint(employee, exercise_id, answers, new_token(), now=when)


def _wrong(code: str, expected: str, rng: random.Random) -> str:
    from app.drills.complaint.rules import SELECTS

    options = [value for rule in SELECTS if rule.code == code for value, _ in rule.options if value != expected]
    return rng.choice(options) if options else expected


def _language(employee: Employee, prompt_id: str, when: dt.datetime) -> None:
    if db.session.scalar(select(LanguageAnswer.id).where(LanguageAnswer.employee_id == employee.id,
                                                         LanguageAnswer.prompt_id == prompt_id)):
        return
    prompt = db.session.get(LanguagePrompt, prompt_id)
    rng = _rng(employee, prompt_id)
    skill = SKILL.get(employee.employee_no, 0.6)
    answer = prompt.spec.get("model_answer") or "您好。"
    if rng.random() > skill:  # a weaker answer: drop one element's wording, maybe add a banned phrase
        element = rng.choice(prompt.spec["elements"])
        for alternative in element["any"]:
            answer = answer.replace(alternative, "")
        if rng.random() < 0.5 and prompt.spec["banned"]:
            answer += "，" + rng.choice(prompt.spec["banned"])["phrase"]
    submit_language(employee, prompt_id, answer.strip("，") or "您好", new_token(), now=when)


def _observe(observer: Employee, employee: Employee, checklist_id: str, when: dt.datetime) -> None:
    checklist = db.session.get(Checklist, checklist_id)
    if checklist is None or checklist.retired:
        return
    if db.session.scalar(select(Observation.id).where(Observation.employee_id == employee.id,
                                                      Observation.observer_id == observer.id,
                                                      Observation.checklist_id == checklist_id)):
        return
    rng = _rng(employee, f"observe:{checklist_id}")
    skill = SKILL.get(employee.employee_no, 0.6)
    marks = {}
    for item in checklist.spec["items"]:
        roll = rng.random()
        mark = "not_observed" if roll < 0.15 else ("pass" if roll < 0.15 + skill * 0.85 + 0.1 else "fail")
        note = "当场已提醒" if mark == "fail" else ""
        marks[item["id"]] = ItemMark(mark, note, "no_occasion" if mark == "not_observed" else "")
    marks[checklist.spec["items"][0]["id"]] = ItemMark("pass")  # at least one observed item
    submit_observation(observer, employee, checklist_id, marks, new_token(), now=when)
