"""The certification rule of a course: what ``certificate:`` in courses.yml says, checked and synced.

Syntax (one optional key per course in ``content/standards/courses.yml``)::

    certificate:
      activities: [quiz:new-hire-final, language:phone-answer]   # optional
      min_score: 80                                               # optional, 0-100, default 0
      valid_months: 12                                            # optional, >= 1, default 12

* ``activities``: ``kind:id`` of activities that yield a score (quiz, scenario, complaint,
  language, observation). Default: every active item of the course (each kind's
  ``course_items``: today the quizzes whose ``course:`` is this course), resolved at sync.
* The rule is met when **every** activity has a passing Result (``passed`` at its own pass mark)
  finished after the employee's previous certificate of the course was issued (none: any time),
  and the **combined score** (the mean of the best passing score of each activity, one decimal)
  is at least ``min_score``.
* The certificate is valid through ``issued date + valid_months`` (calendar months).

The content layer only carries the raw mapping (``CourseDoc.certificate``); this module is the
certificates layer's content plugin: ``content check`` reports every problem as ``path:line:
message`` and ``content sync`` writes :class:`CertificationRule` rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.certificates.models import CertificationRule
from app.content.documents import ContentSet, CourseDoc, Problem
from app.content.plugins import ContentPlugin, SyncReport
from app.content.sync import digest, upsert_catalog
from app.content.yaml_lines import LineDict, LineList
from app.extensions import db
from app.results.kinds import all_kinds

RULE_KEYS = ("activities", "min_score", "valid_months")
DEFAULT_MIN_SCORE = 0
DEFAULT_VALID_MONTHS = 12


@dataclass(frozen=True)
class RuleDoc:
    course_id: str
    #: ``(kind, id)`` pairs; None: the course's own activities (resolved at sync)
    activities: tuple[tuple[str, str], ...] | None
    min_score: int
    valid_months: int


def _int(raw: LineDict, key: str, default: int, path: str, problems: list[Problem]) -> int | None:
    value = raw.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(Problem(path, raw.line_of(key), f"certificate {key!r} must be a whole number"))
        return None
    return value


def parse_rule(course: CourseDoc, known: dict[str, set[str] | None]) -> tuple[RuleDoc | None, list[Problem]]:
    """The course's rule (None when it has none or it is wrong) and the problems found.

    ``known``: kind key → the ids the content defines (None: not checkable), for kinds yielding scores.
    """
    raw, path, problems = course.certificate, course.path, []
    if raw is None:
        return None, []
    if not isinstance(raw, LineDict):
        return None, [Problem(path, course.certificate_line or course.line,
                              "'certificate' must be a mapping such as {min_score: 80, valid_months: 12}")]
    for key in raw:
        if key not in RULE_KEYS:
            problems.append(Problem(path, raw.line_of(key),
                                    f"unknown key {key!r} in a certificate rule (allowed: {', '.join(RULE_KEYS)})"))
    min_score = _int(raw, "min_score", DEFAULT_MIN_SCORE, path, problems)
    if min_score is not None and not 0 <= min_score <= 100:
        problems.append(Problem(path, raw.line_of("min_score"), f"certificate min_score {min_score} outside 0-100"))
    valid_months = _int(raw, "valid_months", DEFAULT_VALID_MONTHS, path, problems)
    if valid_months is not None and valid_months < 1:
        problems.append(Problem(path, raw.line_of("valid_months"),
                                f"certificate valid_months {valid_months} must be at least 1"))
    activities = _activities(raw, known, path, problems)
    if problems:
        return None, problems
    return RuleDoc(course.id, activities, min_score, valid_months), []


def _activities(raw: LineDict, known: dict[str, set[str] | None], path: str,
                problems: list[Problem]) -> tuple[tuple[str, str], ...] | None:
    value = raw.get("activities")
    if value is None:
        return None
    items = value if isinstance(value, LineList) else None
    if items is None or not items:
        problems.append(Problem(path, raw.line_of("activities"),
                                "certificate 'activities' must be a non-empty list such as [quiz:new-hire-final]"))
        return None
    found: list[tuple[str, str]] = []
    for index, item in enumerate(items):
        line = items.line_of(index)
        text = str(item).strip() if isinstance(item, str) else ""
        kind, _sep, activity_id = text.partition(":")
        if not kind or not activity_id:
            problems.append(Problem(path, line, f"certificate activity {item!r} must be written kind:id "
                                                f"(kinds: {', '.join(sorted(known))})"))
        elif kind not in known:
            problems.append(Problem(path, line, f"unknown activity kind {kind!r} in {text!r} (kinds that "
                                                f"yield a score: {', '.join(sorted(known))})"))
        elif known[kind] is not None and activity_id not in known[kind]:
            problems.append(Problem(path, line, f"unknown activity {text!r}: no {kind} with id {activity_id!r}"))
        elif (kind, activity_id) in found:
            problems.append(Problem(path, line, f"activity {text!r} is listed twice"))
        else:
            found.append((kind, activity_id))
    return tuple(found)


def _known(content: ContentSet) -> dict[str, set[str] | None]:
    """Kinds whose Results a rule can count (they yield a score), with the ids content defines."""
    return {kind.key: kind.content_ids(content) for kind in all_kinds() if kind.component is not None}


def check_rules(content: ContentSet) -> list[Problem]:
    """``flask content check``: every course's rule, plus a default rule with no activity to count."""
    known, problems = _known(content), []
    for course in content.courses.values():
        rule, found = parse_rule(course, known)
        problems.extend(found)
        if rule is not None and rule.activities is None and "quiz" in known \
                and not any(q.course == course.id for q in content.quizzes.values()):
            problems.append(Problem(course.path, course.certificate_line or course.line,
                                    f"certificate rule of {course.id!r} names no activities and the course has "
                                    "no quiz: list them with 'activities: [kind:id, …]'"))
    return problems


def default_activities(course_id: str) -> tuple[tuple[str, str], ...]:
    """Every active item belonging to the course, per kind (``course_items``), in catalog order."""
    found: list[tuple[str, str]] = []
    for kind in all_kinds():
        stmt = kind.course_items([course_id]) if kind.component is not None else None
        if stmt is None:
            continue
        rows = sorted(db.session.execute(stmt), key=lambda r: (r.position, r.id))
        found.extend((kind.key, row.id) for row in rows)
    return tuple(found)


def sync_rules(content: ContentSet, report: SyncReport) -> None:
    """Upsert one CertificationRule per course that has a valid rule; retire the others.

    Runs after the quiz and drill plugins (registered after them), so default activities resolve
    against the freshly synced catalog.
    """
    known = _known(content)
    docs: dict[str, RuleDoc] = {}
    for course in content.courses.values():
        rule, _problems = parse_rule(course, known)
        if rule is not None:
            activities = rule.activities if rule.activities is not None else default_activities(course.id)
            docs[course.id] = RuleDoc(course.id, tuple(activities), rule.min_score, rule.valid_months)

    def fill(row, doc: RuleDoc, _position: int, _is_new: bool) -> None:
        row.activities = [list(pair) for pair in doc.activities]
        row.min_score, row.valid_months = doc.min_score, doc.valid_months

    upsert_catalog(CertificationRule, "certificate rule", docs, report=report, fill=fill,
                   hash_of=lambda doc, _pos: digest("certificate-rule", doc.course_id,
                                                    [list(a) for a in doc.activities],
                                                    doc.min_score, doc.valid_months))


def rule_for(course_id: str):
    """The active CertificationRule of a course, or None."""
    return db.session.scalar(select(CertificationRule).where(CertificationRule.id == course_id,
                                                             CertificationRule.retired.is_(False)))


def rules_counting(kind: str, activity_id: str) -> list:
    """The active rules that count a Result of this activity (few rules: filtered in Python)."""
    rules = db.session.scalars(select(CertificationRule).where(CertificationRule.retired.is_(False)))
    return [r for r in rules if [kind, activity_id] in r.activities]


content_plugin = ContentPlugin(name="certificates", check=check_rules, sync=sync_rules)
