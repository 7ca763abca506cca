"""Quiz pages: the list, taking an attempt (with autosave), submitting, review, item analysis.

Thin: parse input, call a service in ``attempts``/``reports``/``item_stats``, commit once,
render. A closed attempt met by a save or submit (stale page, second tab, back button, deadline)
turns into a message and a redirect to the review, or a 409 JSON answer for autosave: never a 500.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.database import write_transaction
from app.extensions import db
from app.people.models import Role
from app.people.permissions import can_view, get_visible_employee, role_required, visible_employees
from app.routing import parse_bounded_int, query_page
from app.timeutil import utcnow

from . import attempts, flags, reports
from .attempts import AttemptClosed
from .forms import (
    ClearFlagForm,
    FlagForm,
    ItemAnalysisFilter,
    StartForm,
    SubmitForm,
    answers_from_form,
    int_or_none,
)
from .item_stats import item_analysis as compute_item_analysis
from .models import Attempt, AttemptState, Quiz
from .presenters import page_views, review_items
from .qtypes_base import type_label

bp = Blueprint("quizzes", __name__, url_prefix="/quizzes")


def _no_store(response):
    """Attempt pages must be fetched again, not shown from the cache by the back button."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.employee_id != current_user.id:
        abort(404)
    return attempt


def _expire(attempt_ids: list[int]) -> int:
    """Expire due attempts from a GET request, in a write transaction of their own."""
    if not attempt_ids:
        return 0
    with write_transaction():
        return sum(1 for attempt_id in attempt_ids if attempts.expire_if_due(attempt_id))


def _expire_if_due(attempt: Attempt) -> Attempt:
    if attempts.is_due(attempt, utcnow()):
        attempt_id = attempt.id
        _expire([attempt_id])
        attempt = db.session.get(Attempt, attempt_id)
    return attempt


def _closed_message(closed: AttemptClosed) -> str:
    if closed.just_expired:
        return _("Time is up: the attempt was finished with the answers saved before the deadline.")
    if closed.attempt.state == AttemptState.EXPIRED.value:
        return _("This attempt ended when its time ran out; changes are no longer saved.")
    return _("This attempt was already submitted; changes are no longer saved.")


def _review_url(attempt: Attempt) -> str:
    return url_for("quizzes.review", attempt_id=attempt.id)


# --- the list and starting -----------------------------------------------------------------------


@bp.get("/")
@login_required
def quiz_list():
    _expire(attempts.due_attempt_ids(utcnow(), current_user.id))
    rows = reports.quiz_overview(current_user.id)
    history = reports.attempts_of(current_user.id)
    return render_template("quizzes/list.html", rows=rows, history=history, form=StartForm())


@bp.post("/<quiz_id>/start")
@login_required
def start(quiz_id: str):
    if not StartForm().validate_on_submit():
        abort(400)
    try:
        attempt, created = attempts.start_attempt(current_user.id, quiz_id)
    except attempts.NoAttemptsLeft as refused:
        db.session.commit()  # an attempt that expired on the way is kept
        flash(_("You have used all %(n)d attempts at this quiz.", n=refused.quiz.max_attempts or 0), "warning")
        return redirect(url_for("quizzes.quiz_list"))
    except attempts.QuizUnavailable:
        db.session.rollback()
        flash(_("This quiz is not available."), "warning")
        return redirect(url_for("quizzes.quiz_list"))
    db.session.commit()
    if not created:
        flash(_("Welcome back: your attempt continues where you left it."), "info")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


# --- taking an attempt ---------------------------------------------------------------------------


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@login_required
def attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if request.method == "POST":
        return _save_page(attempt)
    attempt = _expire_if_due(attempt)
    if attempt.is_finished:
        flash(_("This attempt is finished: here is its review."), "info")
        return redirect(_review_url(attempt))
    page = attempts.clamp_page(attempt, int_or_none(request.args.get("page")))
    items = attempts.items_on_page(attempt, page)
    html = render_template(
        "quizzes/attempt.html", attempt=attempt, quiz=attempt.quiz, page=page, items=page_views(items),
        pages=attempts.page_count(attempt), answered={i.position for i in attempt.items if i.answered},
        seconds_left=attempts.seconds_left(attempt, utcnow()), per_page=attempts.QUESTIONS_PER_PAGE,
    )
    return _no_store(make_response(html))


def _save_page(attempt: Attempt):
    """The no-JavaScript path: every button of the attempt form saves the page's answers."""
    form = request.form
    page = int_or_none(form.get("page")) or attempt.current_page
    action = form.get("action", "save")
    target = {"next": page + 1, "prev": page - 1}.get(action, page)
    if action.startswith("page-"):
        target = int_or_none(action.removeprefix("page-")) or page
    answers = answers_from_form(form, attempt.items)
    refused = attempts.refuse_unreadable(attempt.items, answers)
    for position, text in refused:
        flash(_("Question %(n)d: “%(text)s” is not a number. Type digits, e.g. 3 or 2.5.", n=position, text=text),
              "warning")
    if refused:  # stay on the page with the question to correct (and do not finish)
        action, target = "refused", page
    try:
        attempts.save_answers(attempt.id, current_user.id, answers, page=target)
    except AttemptClosed as closed:
        db.session.commit()
        flash(_closed_message(closed), "warning")
        return redirect(_review_url(closed.attempt))
    db.session.commit()
    if action == "finish":
        return redirect(url_for("quizzes.summary", attempt_id=attempt.id))
    if action == "save":
        flash(_("Your answers are saved."), "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id, page=attempts.clamp_page(attempt, target)))


@bp.post("/attempts/<int:attempt_id>/save")
@login_required
def autosave(attempt_id: int):
    """JavaScript saves each answer as it is given: JSON in, JSON out (no correctness, ever)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.employee_id != current_user.id:
        return jsonify(ok=False, error="not_found", message=_("No such attempt.")), 404
    answers = answers_from_form(request.form, attempt.items)
    refused = attempts.refuse_unreadable(attempt.items, answers)
    try:
        saved = attempts.save_answers(attempt.id, current_user.id, answers,
                                      page=int_or_none(request.form.get("page")))
    except AttemptClosed as closed:
        db.session.commit()
        return jsonify(ok=False, error="closed", state=closed.attempt.state, message=_closed_message(closed),
                       review_url=_review_url(closed.attempt)), 409
    answered = sorted(item.position for item in saved.items if item.answered)
    db.session.commit()
    body = {"ok": True, "saved": sorted(answers), "answered": answered, "saved_at": utcnow().isoformat() + "Z"}
    if refused:  # not a number: not saved (the page form says so with a message)
        body["refused"] = [position for position, _text in refused]
    return jsonify(**body)


@bp.get("/attempts/<int:attempt_id>/summary")
@login_required
def summary(attempt_id: int):
    attempt = _expire_if_due(_own_attempt(attempt_id))
    if attempt.is_finished:
        flash(_("This attempt is finished: here is its review."), "info")
        return redirect(_review_url(attempt))
    html = render_template("quizzes/summary.html", attempt=attempt, quiz=attempt.quiz, form=SubmitForm(),
                           per_page=attempts.QUESTIONS_PER_PAGE, seconds_left=attempts.seconds_left(attempt, utcnow()))
    return _no_store(make_response(html))


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if not SubmitForm().validate_on_submit():
        abort(400)
    attempt, graded_now = attempts.submit_attempt(attempt.id, current_user.id)
    db.session.commit()
    if not graded_now and attempt.state == AttemptState.EXPIRED.value:
        flash(_closed_message(AttemptClosed(attempt)), "info")
    elif not graded_now:
        flash(_("This attempt was already submitted; it was graded once."), "info")
    elif attempt.state == AttemptState.EXPIRED.value:
        flash(_("Time is up: the attempt was finished with the answers saved before the deadline."), "warning")
    else:
        flash(_("Attempt submitted."), "success")
    return redirect(_review_url(attempt))


# --- review and lists ----------------------------------------------------------------------------


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        abort(404)
    if not can_view(current_user, attempt.employee):
        abort(403)
    attempt = _expire_if_due(attempt)
    if attempt.is_open:
        if attempt.employee_id == current_user.id:
            flash(_("This attempt is still in progress: submit it to see the review."), "info")
            return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
        return render_template("quizzes/in_progress.html", attempt=attempt)
    return render_template("quizzes/review.html", attempt=attempt, quiz=attempt.quiz, items=review_items(attempt))


@bp.get("/attempts/")
@login_required
def attempt_list():
    employee = None
    employee_id = int_or_none(request.args.get("employee"))
    if employee_id is not None:
        employee = get_visible_employee(current_user, employee_id)
        rows = reports.attempts_of(employee.id)
    else:
        rows = reports.finished_attempts(visible_employees(current_user))
    return render_template("quizzes/attempts.html", rows=rows, employee=employee)


@bp.get("/item-analysis")
@role_required(Role.HR, Role.ADMIN)
def item_analysis():
    form = ItemAnalysisFilter(request.args)
    quizzes = list(db.session.scalars(db.select(Quiz).order_by(Quiz.retired, Quiz.position, Quiz.id)))
    form.quiz.choices = [("", _("All quizzes"))] + [(q.id, q.title) for q in quizzes]
    quiz_id = form.quiz.data if form.quiz.data in {q.id for q in quizzes} else None
    sort = form.sort.data if form.sort.data in dict(form.sort.choices) else "id"
    analysis = compute_item_analysis(quiz_id, sort_key=_SORT_KEYS[sort], page=query_page())
    return render_template("quizzes/item_analysis.html", form=form, analysis=analysis, quiz_id=quiz_id,
                           sort=sort, flags=flags.flags_by_question([s.question_id for s in analysis.items]),
                           type_label=type_label)


def _back_to_analysis(question_id: str):
    """Back to the page the form was on: same quiz filter, sort and page."""
    quiz = request.form.get("quiz") or None
    sort = request.form.get("sort") or None
    page = parse_bounded_int(request.form.get("page"))
    return redirect(url_for("quizzes.item_analysis", quiz=quiz, sort=sort, page=page if page and page > 1 else None)
                    + f"#item-{question_id}")


@bp.post("/item-analysis/<question_id>/flag")
@role_required(Role.HR, Role.ADMIN)
def flag_question(question_id: str):
    form = FlagForm()
    if not form.validate_on_submit():
        flash(_("Give a reason to flag the question for review."), "warning")
        return _back_to_analysis(question_id)
    try:
        _flag, created = flags.flag_question(question_id, form.reason.data, actor_id=current_user.id,
                                             ip=request.remote_addr or "")
    except flags.UnknownQuestion:
        abort(404)
    db.session.commit()
    if created:
        flash(_("Question %(id)s is flagged for review.", id=question_id), "success")
    else:
        flash(_("Question %(id)s was already flagged for review.", id=question_id), "info")
    return _back_to_analysis(question_id)


@bp.post("/item-analysis/<question_id>/unflag")
@role_required(Role.HR, Role.ADMIN)
def clear_flag(question_id: str):
    if not ClearFlagForm().validate_on_submit():
        abort(400)
    if flags.clear_flag(question_id, actor_id=current_user.id, ip=request.remote_addr or ""):
        db.session.commit()
        flash(_("The review flag of question %(id)s is cleared.", id=question_id), "success")
    return _back_to_analysis(question_id)


def _num(value: float | None, missing: float) -> float:
    return missing if value is None else value


_SORT_KEYS = {
    "id": lambda s: s.question_id,
    "facility": lambda s: (_num(s.facility, 2.0), s.question_id),
    "discrimination": lambda s: (_num(s.discrimination, 2.0), s.question_id),
    "responses": lambda s: (-s.responses, s.question_id),
    "flags": lambda s: (not s.flagged, _num(s.discrimination, 2.0), s.question_id),
}
