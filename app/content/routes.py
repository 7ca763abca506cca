"""Course catalogue, course and lesson pages, the printable handbook and clause search.

Lesson HTML was rendered and sanitised at sync time; these views only read it.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.content import services
from app.content.forms import MarkReadForm
from app.content.models import Course, Lesson
from app.extensions import db

bp = Blueprint("content", __name__)


@bp.app_template_global()
def clause_where(clause_id: str) -> services.ClauseWhere | None:
    """Template helper: a clause's lesson title and section, for any page that cites clauses
    (drill results, dashboards, search). Cached per request; one small query per new id."""
    cache = g.setdefault("clause_where", {})
    if clause_id not in cache:
        cache.update(services.clause_where([clause_id]))
        cache.setdefault(clause_id, None)
    return cache[clause_id]


def prefetch_clause_where(clause_ids) -> None:
    """Fill :func:`clause_where`'s per-request cache for a page's clauses in one query (no query per clause)."""
    cache = g.setdefault("clause_where", {})
    missing = sorted({c for c in clause_ids if c not in cache})
    if missing:
        cache.update(services.clause_where(missing))
        for clause_id in missing:
            cache.setdefault(clause_id, None)


def _active_or_404(model, item_id: str):
    item = db.session.get(model, item_id)
    if item is None or item.retired:
        abort(404)
    return item


@bp.route("/courses/")
@login_required
def catalogue():
    courses = services.active_courses()
    progress = services.course_progress(current_user.id, courses)
    return render_template("content/catalogue.html", courses=courses, progress=progress)


@bp.route("/courses/<course_id>")
@login_required
def course(course_id: str):
    course = _active_or_404(Course, course_id)
    lessons = services.course_lessons(course.id)
    read = services.read_lessons(current_user.id, [lesson.id for lesson in lessons])
    progress = services.course_progress(current_user.id, [course])[course.id]
    return render_template("content/course.html", course=course, lessons=lessons, read=read, progress=progress)


@bp.route("/lessons/<lesson_id>")
@login_required
def lesson(lesson_id: str):
    lesson = _active_or_404(Lesson, lesson_id)
    courses = services.courses_of_lesson(lesson.id)
    course_id = request.args.get("course")
    course = next((c for c in courses if c.id == course_id), courses[0] if courses else None)
    previous, following = services.neighbours(course.id, lesson.id) if course else (None, None)
    progress = services.read_lessons(current_user.id, [lesson.id]).get(lesson.id)
    form = MarkReadForm(course=course.id if course else "")
    return render_template(
        "content/lesson.html", lesson=lesson, html=Markup(lesson.html), toc=Markup(lesson.toc_html),
        course=course, previous=previous, following=following, progress=progress, form=form,
        outdated=progress is not None and progress.content_hash != lesson.content_hash,
    )


@bp.route("/lessons/<lesson_id>/read", methods=["POST"])
@login_required
def mark_read(lesson_id: str):
    lesson = _active_or_404(Lesson, lesson_id)
    form = MarkReadForm()
    if not form.validate_on_submit():
        abort(400)
    services.mark_read(current_user.id, lesson)
    db.session.commit()
    flash(_("Marked as read: %(title)s", title=lesson.title), "success")
    course_id = form.course.data or None
    if course_id:
        following = services.neighbours(course_id, lesson.id)[1]
        if following is not None:
            return redirect(url_for("content.lesson", lesson_id=following.id, course=course_id))
        return redirect(url_for("content.course", course_id=course_id))
    return redirect(url_for("content.lesson", lesson_id=lesson.id))


@bp.route("/handbook")
@login_required
def handbook():
    lessons = [(lesson, Markup(lesson.html)) for lesson in services.handbook_lessons()]
    return render_template("content/handbook.html", lessons=lessons)


@bp.route("/search")
@login_required
def search():
    query = services.normalise_query(request.args.get("q"))
    hits = services.search_clauses(query) if query else []
    prefetch_clause_where(clause.id for clause in hits)
    return render_template("content/search.html", query=query, hits=hits)
