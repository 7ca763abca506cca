""":class:`MoodleQuestion` → a :class:`Draft` of this project's question, or why not.

Every input question ends up either as a Draft (possibly with *notes*: what the author must still
fix, e.g. a missing clause) or as :class:`NotConverted` with the reason. The mapping is the
reverse of ``outgoing``; questions from other Moodle banks are read as generously as the types
here allow:

* the lesson is ``--lesson``, else the ``lesson:`` tag, else the last part of the category when
  it is a valid lesson id, else ``imported``;
* a question without ``clause:`` tags is written with ``cites: TODO`` — ``flask content check``
  rejects it until the author names the clauses it tests (a question must cite a clause);
* without a ``difficulty:`` tag the difficulty is 2, noted; without general feedback there is no
  explanation, which ``content check`` also rejects until one is written;
* multichoice with several right answers: ``scoring:`` tag, else ``partial`` (noted when Moodle's
  weights were not ±100/k); shortanswer: the 100 % answers (wildcards ``*`` cannot be kept);
  numerical: the 100 % answer, its tolerance, the unit from the ``unit:`` tag or Moodle's unit
  name; matching whose answers are exactly 1…n: ordering; Moodle ``ordering``: ordering.
"""

from __future__ import annotations

import re
import unicodedata

from app.content.documents import CLAUSE_ID_RE, SLUG_RE

from ..answer_text import UNITS
from .model import (
    CLAUSE_TAG,
    DIFFICULTY_TAG,
    FRACTION_SLACK,
    LESSON_TAG,
    SCORING_TAG,
    UNIT_TAG,
    Draft,
    MoodleQuestion,
    NotConverted,
    Unreadable,
    format_number,
)

DEFAULT_LESSON = "imported"
DEFAULT_DIFFICULTY = "2"
TODO_CITES = "TODO"
UNGRADED = {
    "essay": "essay question: no automatic grading",
    "description": "description: text only, not a question",
    "random": "random question: a draw rule, not a question (use quizzes.yml)",
    "cloze": "embedded-answers (cloze) question: several answers in one text have no type here",
    "multianswer": "embedded-answers (cloze) question: several answers in one text have no type here",
    "calculated": "calculated question: formulas with random values have no type here",
}
_UNIT_BY_NAME = {**{u.label: u.key for u in UNITS.values()}, **{key: key for key in UNITS}}
_SLUG_CHARS_RE = re.compile(r"[^a-z0-9]+")


class _Skip(Exception):
    pass


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _SLUG_CHARS_RE.sub("-", ascii_text).strip("-")[:60].strip("-")


class Converter:
    """Converts the questions of one file; remembers the ids it gave out (unique per import)."""

    def __init__(self, lesson: str | None = None) -> None:
        self.lesson = lesson
        self.ids: set[str] = set()

    def convert(self, item: MoodleQuestion | Unreadable) -> Draft | NotConverted:
        if isinstance(item, Unreadable):
            return NotConverted(item.where, item.reason)
        if item.qtype in UNGRADED:
            return NotConverted(item.where, UNGRADED[item.qtype])
        try:
            return self._convert(item)
        except _Skip as exc:
            return NotConverted(item.where, str(exc))

    # -- identity ------------------------------------------------------------------------------

    def _lesson(self, question: MoodleQuestion, tags: dict[str, list[str]], notes: list[str]) -> str:
        if self.lesson:
            return self.lesson
        if tags[LESSON_TAG] and SLUG_RE.match(tags[LESSON_TAG][0]):
            return tags[LESSON_TAG][0]
        last = (question.category or "").rstrip("/").rsplit("/", 1)[-1].strip()
        if SLUG_RE.match(last) and last not in ("top", "default"):
            return last
        notes.append(f"no lesson (tag lesson:<id>, a category named after a lesson, or --lesson): "
                     f"put in lesson {DEFAULT_LESSON!r}, which content check rejects until it is moved")
        return DEFAULT_LESSON

    def _id(self, question: MoodleQuestion, lesson: str) -> str:
        for candidate in (question.idnumber, question.name):
            if candidate and SLUG_RE.match(candidate) and candidate.startswith(lesson + "-"):
                return self._unique(candidate)
        slug = slugify(question.idnumber or question.name)
        if slug.startswith(lesson + "-"):
            slug = slug[len(lesson) + 1:]
        return self._unique(f"{lesson}-{slug or 'q'}")

    def _unique(self, base: str) -> str:
        candidate, number = base, 2
        while candidate in self.ids:
            candidate, number = f"{base}-{number}", number + 1
        self.ids.add(candidate)
        return candidate

    # -- the question ----------------------------------------------------------------------------

    def _convert(self, question: MoodleQuestion) -> Draft:
        if not question.text.strip():
            raise _Skip("no question text")
        tags = _split_tags(question.tags)
        notes: list[str] = []
        lesson = self._lesson(question, tags, notes)
        meta: dict[str, str] = {"type": ""}
        draft = Draft(id="", lesson=lesson, meta=meta, prompt=question.text.strip(),
                      explanation=question.feedback.strip(), where=question.where, notes=notes)
        self._answers(question, draft, tags)
        cites = [c for c in tags[CLAUSE_TAG] if CLAUSE_ID_RE.match(c)]
        if not cites:
            notes.append(f"no cited clause (tag {CLAUSE_TAG}<id> missing): written with 'cites: {TODO_CITES}', "
                         "which content check rejects until the clauses are named")
        meta["cites"] = ", ".join(cites) or TODO_CITES
        difficulty = tags[DIFFICULTY_TAG][0] if tags[DIFFICULTY_TAG] else ""
        if difficulty not in ("1", "2", "3"):
            notes.append(f"no difficulty:1|2|3 tag: difficulty set to {DEFAULT_DIFFICULTY}")
            difficulty = DEFAULT_DIFFICULTY
        meta["difficulty"] = difficulty
        if tags[""]:
            meta["tags"] = ", ".join(tags[""])
        for key in ("answer", "unit", "tolerance", "accept"):
            if key in draft.meta:
                meta[key] = meta.pop(key)  # type-specific keys after the common ones
        if not draft.explanation:
            notes.append("no general feedback: add the '> 解析：…' explanation (content check requires it)")
        draft.id = self._id(question, lesson)
        return draft

    def _answers(self, question: MoodleQuestion, draft: Draft, tags: dict[str, list[str]]) -> None:
        kind = question.qtype
        if kind == "multichoice" and question.single:
            self._single(question, draft)
        elif kind == "multichoice":
            self._multiple(question, draft, tags)
        elif kind == "truefalse":
            right = [a for a in question.answers if a.fraction >= 100 - FRACTION_SLACK]
            if len(right) != 1 or right[0].text.strip().lower() not in ("true", "false"):
                raise _Skip("true/false question without exactly one right answer")
            draft.meta.update(type="truefalse", answer=right[0].text.strip().lower())
        elif kind == "shortanswer":
            self._phrase(question, draft)
        elif kind == "numerical":
            self._numeric(question, draft, tags)
        elif kind in ("matching", "ordering"):
            self._ordering(question, draft)
        else:
            raise _Skip(f"{kind or 'untyped'} question: no question type here to hold it")

    def _single(self, question: MoodleQuestion, draft: Draft) -> None:
        right = [i for i, a in enumerate(question.answers) if a.fraction >= 100 - FRACTION_SLACK]
        if len(right) != 1:
            raise _Skip(f"single-answer multichoice with {len(right)} answers at 100%")
        partial = [a.text for a in question.answers if 0 < a.fraction < 100 - FRACTION_SLACK]
        if partial:
            draft.notes.append(f"part marks for {len(partial)} other option(s) dropped: a single choice is right or wrong")
        draft.meta["type"] = "single"
        draft.options = [(a.text, i == right[0]) for i, a in enumerate(question.answers)]

    def _multiple(self, question: MoodleQuestion, draft: Draft, tags: dict[str, list[str]]) -> None:
        right = [i for i, a in enumerate(question.answers) if a.fraction > FRACTION_SLACK]
        if not right:
            raise _Skip("multiple-answer multichoice without any answer above 0%")
        scoring = tags[SCORING_TAG][0] if tags[SCORING_TAG] else ""
        if scoring not in ("all", "partial"):
            share = 100.0 / len(right)
            exact = all(abs(a.fraction - (share if i in right else -share)) <= FRACTION_SLACK
                        for i, a in enumerate(question.answers))
            if not exact:
                weights = ", ".join(format_number(a.fraction) for a in question.answers)
                draft.notes.append(f"Moodle weights ({weights}) read as scoring: partial "
                                   "(each right tick +1/k, each wrong tick −1/k, floored at 0)")
            scoring = "partial"
        draft.meta["type"] = "multiple"
        if scoring != "all":
            draft.meta["scoring"] = scoring  # "all" is the default and left out, as authors do
        draft.options = [(a.text, i in right) for i, a in enumerate(question.answers)]

    def _phrase(self, question: MoodleQuestion, draft: Draft) -> None:
        accepted = [a.text.strip() for a in question.answers if a.fraction >= 100 - FRACTION_SLACK and a.text.strip()]
        if not accepted:
            raise _Skip("short-answer question without a 100% answer")
        if any("*" in text for text in accepted):
            raise _Skip("short-answer with a '*' wildcard: accepted answers here are exact phrases")
        if any("|" in text or "\n" in text for text in accepted):
            raise _Skip("an accepted answer contains '|' or a line break, which 'accept:' cannot hold")
        dropped = sum(1 for a in question.answers if FRACTION_SLACK < a.fraction < 100 - FRACTION_SLACK)
        if dropped:
            draft.notes.append(f"{dropped} answer(s) with part marks dropped: a phrase is right or wrong")
        draft.meta.update(type="phrase", accept="|".join(accepted))

    def _numeric(self, question: MoodleQuestion, draft: Draft, tags: dict[str, list[str]]) -> None:
        right = [a for a in question.answers if a.fraction >= 100 - FRACTION_SLACK and a.text.strip() not in ("", "*")]
        if not right:
            raise _Skip("numerical question without a 100% answer")
        if len(right) > 1 or any(FRACTION_SLACK < a.fraction < 100 - FRACTION_SLACK for a in question.answers):
            draft.notes.append("only the first 100% answer kept (one number and a tolerance here)")
        try:
            number = float(right[0].text)
        except ValueError:
            raise _Skip(f"numerical answer {right[0].text!r} is not a number") from None
        unit = tags[UNIT_TAG][0] if tags[UNIT_TAG] else next((_UNIT_BY_NAME[u] for u in question.units
                                                              if u in _UNIT_BY_NAME), "")
        if unit not in UNITS:
            names = ", ".join(question.units) or "none"
            draft.notes.append(f"no known unit (Moodle units: {names}): written as 'unit: TODO', which content "
                               f"check rejects until one of {', '.join(UNITS)} is set")
            unit = "TODO"
        draft.meta.update(type="numeric", answer=format_number(number), unit=unit)
        if right[0].tolerance:
            draft.meta["tolerance"] = format_number(right[0].tolerance)

    def _ordering(self, question: MoodleQuestion, draft: Draft) -> None:
        if question.qtype == "ordering":
            answers = list(question.answers)
            positions = [a.fraction for a in answers]
            if sorted(positions) == [float(n) for n in range(1, len(answers) + 1)]:
                answers.sort(key=lambda a: a.fraction)
            items = [a.text for a in answers]
        else:
            places = [answer.strip() for _, answer in question.pairs]
            if sorted(places, key=lambda p: int(p) if p.isdigit() else -1) != [str(n) for n in range(1, len(places) + 1)] \
                    or any(not stem.strip() for stem, _ in question.pairs):
                raise _Skip("matching question: only matchings of items to positions 1…n (an ordering) convert")
            items = [stem for stem, _ in sorted(question.pairs, key=lambda pair: int(pair[1]))]
        if len(items) < 2:
            raise _Skip("ordering question with fewer than two items")
        draft.meta["type"] = "ordering"
        draft.options = [(" ".join(item.split()), None) for item in items]


def _split_tags(tags: list[str]) -> dict[str, list[str]]:
    """Tags by reserved prefix; "" holds the plain tags (commas removed: they separate tags here)."""
    found: dict[str, list[str]] = {p: [] for p in (LESSON_TAG, CLAUSE_TAG, DIFFICULTY_TAG, UNIT_TAG, SCORING_TAG, "")}
    for tag in tags:
        prefix = next((p for p in found if p and tag.startswith(p)), "")
        value = tag[len(prefix):].strip() if prefix else re.sub(r"[,，、]+", " ", tag).strip()
        if value and value not in found[prefix]:
            found[prefix].append(value)
    return found
