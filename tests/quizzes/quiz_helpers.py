"""Helpers of the quiz tests: syncing a content root, and answering an attempt item the way a
browser would (display positions; ranks for ordering questions)."""

from __future__ import annotations

from pathlib import Path

from werkzeug.datastructures import MultiDict

from app.content.loader import load_content
from app.content.plugins import SyncReport
from app.content.sync import sync_content
from app.quizzes.answer_text import UNITS
from app.quizzes.content_plugin import plugin as quizzes_plugin
from app.quizzes.models import AttemptItem

#: the password tests/conftest.py gives every employee it builds
PASSWORD = "correct-horse-battery"
VALID = Path(__file__).resolve().parents[1] / "fixtures" / "content" / "valid"


def sync_root(root: Path, db) -> SyncReport:
    """Load, then sync with the quiz plugin only (the other layers' syncs are not under test)."""
    content = load_content(root, display_base=root)
    assert not content.problems, content.problems
    report = sync_content(content, [quizzes_plugin])
    db.session.commit()
    return report


def place(item: AttemptItem, index: int) -> str:
    order = item.option_order or []
    return str(order.index(index) if order else index)


def right_answer(item: AttemptItem) -> list[str]:
    """The raw form values of a fully correct answer to ``item``."""
    spec = item.spec
    if item.qtype == "single":
        return [place(item, spec["key"])]
    if item.qtype == "multiple":
        return [place(item, i) for i in spec["key"]]
    if item.qtype == "truefalse":
        return ["true" if spec["key"] else "false"]
    if item.qtype == "ordering":
        return [place(item, i) for i in spec["key"]]
    if item.qtype == "numeric":
        value = spec["key"]
        return [(str(int(value)) if float(value).is_integer() else str(value)) + UNITS[spec["unit"]].label]
    if item.qtype == "phrase":
        return [spec["key"][0]]
    raise AssertionError(item.qtype)


def wrong_answer(item: AttemptItem) -> list[str]:
    """Raw form values that earn nothing."""
    spec = item.spec
    if item.qtype == "single":
        return [place(item, next(i for i in range(len(spec["options"])) if i != spec["key"]))]
    if item.qtype == "multiple":
        wrong = [i for i in range(len(spec["options"])) if i not in spec["key"]]
        return [place(item, wrong[0])] if wrong else []
    if item.qtype == "truefalse":
        return ["false" if spec["key"] else "true"]
    if item.qtype == "ordering":
        return [place(item, i) for i in reversed(spec["key"])]
    if item.qtype == "numeric":
        return [str(spec["key"] * 10 + 7)]
    if item.qtype == "phrase":
        return ["完全不对的回答"]
    raise AssertionError(item.qtype)


def form_fields(item: AttemptItem, raw: list[str]) -> list[tuple[str, str]]:
    """The POST fields a browser sends for ``item`` answered with ``raw`` (ordering: ranks)."""
    fields = [("items", str(item.position))]
    if item.qtype == "ordering":
        fields += [(f"q{item.position}-{shown}", str(rank)) for rank, shown in enumerate(raw, start=1)]
    else:
        fields += [(f"q{item.position}", value) for value in raw]
    return fields


def post_data(*pairs: tuple[AttemptItem, list[str]], **extra: str) -> MultiDict:
    """A form body answering several items (plus e.g. ``page``/``action``)."""
    data = MultiDict(list(extra.items()))
    for item, raw in pairs:
        for key, value in form_fields(item, raw):
            data.add(key, value)
    return data
