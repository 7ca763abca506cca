"""Onboarding plans: what every new hire is assigned, counted from the hire date.

The template is ``onboarding.yml`` in the content folder (format: content/standards/README.md,
"Onboarding plan"). When an employee with a hire date is created (admin page, CLI or bulk
import: the people layer sends ``employee_created`` inside that transaction), the plan's items
become assignments with ``source = onboarding``, assigned in the name of the team's supervisor.
An :class:`OnboardingPlan` row records that it was done, so it is done once per employee.
The supervisor adjusts the plan through the ordinary assignment functions (due date, withdraw,
add an item), each of which is audited as ``training.plan_adjusted``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import select

from app.audit.services import record_event
from app.content.documents import Problem
from app.content.fields import Fields
from app.content.loader import default_display_base
from app.content.yaml_lines import LineDict, LineList, YamlProblem, load_yaml
from app.extensions import db
from app.people.models import Employee, Role, Team
from app.results.kinds import kind_keys
from app.timeutil import local_today, utcnow
from app.training import activities
from app.training.assignments import assign, check_can_manage
from app.training.models import Assignment, AssignmentSource, OnboardingPlan

logger = logging.getLogger(__name__)

FILE_NAME = "onboarding.yml"
TOP_KEYS = ("roles", "max_days_since_hire", "items")
ITEM_KEYS = ("kind", "id", "due_days", "note")
DEFAULT_ROLES = (Role.TRAINEE.value,)


@dataclass(frozen=True)
class PlanItem:
    kind: str
    activity_id: str
    due_days: int
    note: str = ""
    line: int = 0


@dataclass
class PlanTemplate:
    items: list[PlanItem] = field(default_factory=list)
    #: roles that get a plan when created with a hire date
    roles: tuple[str, ...] = DEFAULT_ROLES
    #: an employee hired longer ago than this gets no automatic plan (None: no limit)
    max_days_since_hire: int | None = None
    #: sha256 of the file text
    digest: str = ""


class TemplateError(ValueError):
    """The template has problems; ``problems`` lists them as path:line: message."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def template_path() -> Path:
    return Path(current_app.config["CONTENT_DIR"]) / FILE_NAME


def parse_template(text: str, display: str, kinds: list[str] | None = None) -> tuple[PlanTemplate, list[Problem]]:
    """Parse the template text; every wrong shape becomes a located Problem.

    ``kinds``: the activity kinds an item may name (default: every registered kind of the current
    app; outside an app, any kind: the app-side check names the unknown ones).
    """
    allowed = list(kinds) if kinds is not None else (kind_keys() if has_app_context() else None)
    problems: list[Problem] = []
    template = PlanTemplate(digest=hashlib.sha256(text.encode("utf-8")).hexdigest())
    try:
        data, warnings = load_yaml(text)
    except YamlProblem as exc:
        return template, [Problem(display, exc.line, exc.message)]
    problems += [Problem(display, line, message) for line, message in warnings]
    if data is None:
        return template, problems
    if not isinstance(data, LineDict):
        return template, problems + [Problem(display, 1, "expected a mapping with an 'items' list")]
    top = Fields(data, display, problems)
    top.check_keys(TOP_KEYS, "the onboarding plan")
    roles, role_lines = top.text_list("roles")
    for role, line in zip(roles, role_lines, strict=True):
        if role not in {r.value for r in Role}:
            problems.append(Problem(display, line, f"unknown role {role!r}"))
    if roles:
        template.roles = tuple(roles)
    template.max_days_since_hire = top.integer("max_days_since_hire")
    if template.max_days_since_hire is not None and template.max_days_since_hire < 0:
        top.report("max_days_since_hire", "'max_days_since_hire' must be 0 or more")
    items = data.get("items")
    if items is None:
        top.missing("items")
        return template, problems
    if not isinstance(items, LineList):
        top.report("items", "'items' must be a list")
        return template, problems
    seen: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(items):
        if not isinstance(entry, LineDict):
            problems.append(Problem(display, items.line_of(index), "each item must be a mapping (kind, id, due_days)"))
            continue
        fields = Fields(entry, display, problems)
        fields.check_keys(ITEM_KEYS, "an onboarding item")
        kind, item_id = fields.text("kind", required=True), fields.text("id", required=True)
        due_days = fields.integer("due_days", required=True)
        note = fields.text("note") or ""
        if kind is not None and allowed is not None and kind not in allowed:
            fields.report("kind", f"unknown kind {kind!r} (allowed: {', '.join(allowed)})")
            kind = None
        if due_days is not None and due_days < 0:
            fields.report("due_days", "'due_days' must be 0 or more")
            due_days = None
        if kind is None or item_id is None or due_days is None:
            continue
        if (kind, item_id) in seen:
            fields.report("id", f"{kind} {item_id!r} is already in the plan (line {seen[(kind, item_id)]})")
            continue
        seen[(kind, item_id)] = entry.line
        template.items.append(PlanItem(kind, item_id, due_days, note, entry.line))
    return template, problems


_cache: dict[Path, tuple[tuple[int, int], PlanTemplate]] = {}


def load_template(path: Path | None = None) -> PlanTemplate:
    """The plan template, parsed once per file version; no file means an empty plan.

    Raises TemplateError when the file has problems (``flask content check`` lists them too).
    """
    path = path or template_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return PlanTemplate()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    display = _display(path)
    text = path.read_text(encoding="utf-8")
    template, problems = parse_template(text, display)
    if problems:
        raise TemplateError(problems)
    _cache[path] = (stamp, template)
    return template


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(default_display_base(path.parent).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def check_template(root: Path, known: dict[str, set[str]] | None = None) -> list[Problem]:
    """Problems of ``root/onboarding.yml``; with ``known`` ({kind: ids}), unknown ids too."""
    path = root / FILE_NAME
    if not path.exists():
        return []
    display = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(display, 1, f"cannot read the file: {exc}")]
    template, problems = parse_template(text, display)
    for item in template.items:
        if known is not None and item.kind in known and item.activity_id not in known[item.kind]:
            problems.append(Problem(display, item.line, f"unknown {item.kind} id {item.activity_id!r}"))
    return problems


def supervisor_id(employee: Employee) -> int | None:
    """The leader of the employee's team: the one who sees and adjusts the plan."""
    if employee.team_id is None:
        return None
    return db.session.scalar(select(Team.leader_id).where(Team.id == employee.team_id))


def plan_of(employee_id: int) -> OnboardingPlan | None:
    return db.session.scalar(select(OnboardingPlan).where(OnboardingPlan.employee_id == employee_id))


def create_plan(employee: Employee, *, actor: Employee | None = None, template: PlanTemplate | None = None,
                today: dt.date | None = None, now: dt.datetime | None = None) -> OnboardingPlan | None:
    """Make the employee's onboarding plan, once. Returns None when no plan applies.

    Automatic creation (``actor`` None) applies to the template's roles, to employees with a
    hire date, hired at most ``max_days_since_hire`` days ago. A supervisor (``actor``) may make
    the plan of any member with a hire date. Items whose activity is not in the catalog are
    skipped (and logged); ``flask content check`` reports them.
    """
    if employee.hire_date is None:
        return None
    existing = plan_of(employee.id)
    if existing is not None:
        return existing
    template = template if template is not None else load_template()
    today, now = today or local_today(), now or utcnow()
    if actor is not None:
        check_can_manage(actor, [employee])
    else:
        if employee.role not in template.roles:
            return None
        limit = template.max_days_since_hire
        if limit is not None and (today - employee.hire_date).days > limit:
            logger.info("no onboarding plan for %s: hired %s", employee.employee_no, employee.hire_date)
            return None
    items = [item for item in template.items if activities.find(item.kind, item.activity_id) is not None]
    for item in template.items:
        if item not in items:
            logger.warning("onboarding item %s %s is not in the catalog: skipped", item.kind, item.activity_id)
    if not items and actor is None:
        return None
    leader_id = supervisor_id(employee)
    plan = OnboardingPlan(employee_id=employee.id, hire_date=employee.hire_date, template_hash=template.digest,
                          created_by_id=actor.id if actor else None, created_at=now)
    db.session.add(plan)
    db.session.flush()
    created = 0
    for item in items:
        outcome = assign(actor, [employee], item.kind, item.activity_id,
                         employee.hire_date + dt.timedelta(days=item.due_days), note=item.note,
                         source=AssignmentSource.ONBOARDING, assigned_by_id=leader_id or (actor.id if actor else None),
                         today=today, now=now)
        created += len(outcome.created)
    record_event("training.plan_created", actor_id=actor.id if actor else None, target=f"employee:{employee.id}",
                 details={"items": created, "hire_date": employee.hire_date.isoformat()}, at=now)
    logger.info("onboarding plan for %s: %d item(s)", employee.employee_no, created)
    return plan


def plan_items_criteria(employee_id: int) -> list:
    """Criteria selecting the plan's items among an employee's assignments."""
    return [Assignment.employee_id == employee_id, Assignment.source == AssignmentSource.ONBOARDING.value]


def on_employee_created(sender, employee: Employee | None = None, **_extra) -> None:
    """``employee_created`` receiver: make the new hire's plan in the creating transaction.

    A broken template must not stop accounts from being created: it is logged, the plan is not
    made, and the supervisor can make it later from the employee's training page.
    """
    if employee is None or employee.hire_date is None:
        return
    try:
        create_plan(employee)
    except TemplateError as exc:
        logger.error("onboarding template has problems, no plan for %s: %s", employee.employee_no, exc)
