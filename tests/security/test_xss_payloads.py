"""XSS: a list of payloads through every user- or author-controlled field; no page may carry
executable markup.

"Executable" is judged on the parsed HTML, not on strings: a <script> other than a same-origin
``src`` file with no inline body, any ``on*`` attribute, a ``javascript:``/``vbscript:``/``data:``
URL in a link or source attribute, and <iframe>/<object>/<embed>/<base> elements. The app's own
templates satisfy this (the CSP forbids inline script anyway); a payload that survives escaping or
sanitising shows up as one of them.

Author-controlled: lesson, question, scenario, complaint-exercise, language-prompt and checklist
text (a copy of the shipped content with every payload spliced into its prose, synced and rendered).
User-controlled: employee, team and department names, assignment notes, observation item notes,
complaint-exercise answers, language answers, adjustment and reopen reasons, cycle and API-token
names, uploaded import file names and cell values (the preview page), the search box and the
audit trail (a login attempt's employee number).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from app.content.loader import load_content
from app.content.plugins import plugins
from app.content.sync import sync_content
from app.drills.common.tokens import new_token
from app.drills.complaint.rules import FIELD_CODES, SELECTS
from app.drills.models import (
    Checklist,
    ComplaintExercise,
    ComplaintSubmission,
    LanguageAnswer,
    LanguagePrompt,
    Observation,
    Scenario,
)
from app.people.models import Employee, Role
from app.quizzes.models import Attempt, Quiz
from app.results.models import Result
from tests.conftest import PASSWORD

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><body onload=alert(1)>",
    "[点我](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt&colon;alert(1)">y</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<details open ontoggle=alert(1)>",
    "<object data=javascript:alert(1)></object>",
    '<div style="x" onmouseover="alert(1)">z</div>',
    "</textarea><script>alert(1)</script>",
)
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
BANNED_TAGS = {"iframe", "object", "embed", "base", "frame"}


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            src = attributes.get("src") or ""
            if not src.startswith("/") or src.startswith("//"):
                self.problems.append(f"<script src={src!r}>")
            self._in_script = True
        if tag in BANNED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name.lower() in URL_ATTRS and value:
                squashed = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
                if squashed.startswith(BAD_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script {data.strip()[:40]!r}")


def executable_markup(html: str) -> list[str]:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems


def test_the_scanner_finds_what_it_must():
    for payload in PAYLOADS:
        if payload.startswith("["):
            continue  # Markdown: executable only once rendered
        assert executable_markup(f"<p>{payload}</p>"), payload
    assert not executable_markup('<script src="/static/js/app.js"></script><a href="/x">ok</a>')
    assert executable_markup('<script src="https://evil.example/x.js"></script>')
    assert not executable_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=alert(1)</p>")


class _Pages:
    """Fetches pages and records the (payload, field) combinations and any executable markup."""

    def __init__(self):
        self.combinations: set[tuple[int, str]] = set()
        self.pages = 0
        self.problems: list[str] = []

    def check(self, client, url: str, payload_index: int, fields: list[str], shows: str | None = None) -> str:
        response = client.get(url, buffered=True)
        assert response.status_code == 200, (url, response.status_code)
        html = response.get_data(as_text=True)
        if shows is not None:  # the payload did arrive (as text): the field was really exercised
            assert shows in unescape(html), (url, shows)
        self.pages += 1
        for problem in executable_markup(html):
            self.problems.append(f"{url} [{', '.join(fields)}] payload {payload_index}: {problem}")
        for field in fields:
            self.combinations.add((payload_index, field))
        return html


# --- author-controlled: the content ----------------------------------------------------------------

SENTENCE_END = re.compile(r"。(?=[^\n]*[\u4e00-\u9fff])")


def _poison(tree: Path, payload: str) -> int:
    """Splice the payload after the first full stop of each prose line (not inside YAML keys)."""
    touched = 0
    for path in sorted(tree.rglob("*")):
        if path.suffix not in {".md", ".yml", ".yaml"} or path.name == "README.md":
            continue
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        out = []
        for line in lines:
            stripped = line.lstrip()
            if "。" in line and not stripped.startswith(("id:", "- id:", "#", "cites", "type:", "any:", "phrase:")) \
                    and not (stripped.startswith("- [") and "](" in stripped) and "{#" not in line[:line.find("。")]:
                head, tail = line.split("。", 1)
                if path.suffix != ".md" and ('"' in head or "'" in head):
                    out.append(line)
                    continue
                line = f"{head}。{payload}{tail}" if path.suffix == ".md" else f"{head}。{_yaml_safe(payload)}{tail}"
                touched += 1
            out.append(line)
        path.write_text("".join(out), encoding="utf-8")
    return touched


def _yaml_safe(payload: str) -> str:
    """The payload as it can sit inside a plain YAML scalar (no ': ', ' #', no leading quote)."""
    return payload.replace(": ", ":").replace(" #", "#")


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(PAYLOADS)))
def test_author_content_cannot_inject_markup(app, db, tmp_path, make_employee, make_team, index):
    payload = PAYLOADS[index]
    tree = tmp_path / "standards"
    shutil.copytree(app.config["CONTENT_DIR"], tree)
    assert _poison(tree, payload) > 50
    content = load_content(tree)
    sync_content(content, plugins())
    db.session.commit()
    supervisor = make_employee(role=Role.SUPERVISOR)
    team = make_team(leader=supervisor)
    trainee = make_employee(team=team)
    hr = make_employee(role=Role.HR)
    pages = _Pages()
    client = app.test_client()
    client.post("/login", data={"employee_no": trainee.employee_no, "password": PASSWORD})
    from app.content.models import Course, Lesson

    for lesson_id in db.session.scalars(select(Lesson.id)):
        pages.check(client, f"/lessons/{lesson_id}", index, ["lesson text"])
    for course_id in db.session.scalars(select(Course.id)):
        pages.check(client, f"/courses/{course_id}", index, ["course text"])
    pages.check(client, "/courses/", index, ["course text"])
    pages.check(client, "/handbook", index, ["lesson text"])
    pages.check(client, "/search?q=" + "电话", index, ["lesson text"])
    # questions: take every quiz, answer nothing, submit, read the review
    for quiz_id in db.session.scalars(select(Quiz.id).where(Quiz.retired.is_(False))):
        client.post(f"/quizzes/{quiz_id}/start")
        attempt = db.session.scalar(select(Attempt).where(Attempt.employee_id == trainee.id,
                                                          Attempt.quiz_id == quiz_id).order_by(Attempt.id.desc()))
        if attempt is None:
            continue
        for page in range(1, 1 + -(-len(attempt.items) // 5)):
            pages.check(client, f"/quizzes/attempts/{attempt.id}?page={page}", index, ["question text"])
        client.post(f"/quizzes/attempts/{attempt.id}/submit")
        pages.check(client, f"/quizzes/attempts/{attempt.id}/review", index, ["question text", "explanation"])
    pages.check(client, "/quizzes/", index, ["quiz title"])
    pages.check(client, "/drills/", index, ["drill titles"])
    for scenario in db.session.scalars(select(Scenario).where(Scenario.retired.is_(False))):
        pages.check(client, f"/drills/scenarios/{scenario.id}", index, ["scenario text"])
        client.post(f"/drills/scenarios/{scenario.id}/start")
        from app.drills.models import ScenarioRun

        run = db.session.scalar(select(ScenarioRun).where(ScenarioRun.employee_id == trainee.id,
                                                          ScenarioRun.scenario_id == scenario.id))
        for _step in range(40):
            db.session.refresh(run)
            if run.finished:
                break
            pages.check(client, f"/drills/runs/{run.id}", index, ["scenario text"])
            client.post(f"/drills/runs/{run.id}/choose", data={"position": run.position, "node": run.current_node,
                                                               "choice": 0})
        pages.check(client, f"/drills/runs/{run.id}/review", index, ["scenario text", "scenario feedback"])
    for exercise in db.session.scalars(select(ComplaintExercise.id)):
        pages.check(client, f"/drills/complaints/{exercise}", index, ["complaint exercise text"])
    for prompt in db.session.scalars(select(LanguagePrompt.id)):
        pages.check(client, f"/drills/language/{prompt}", index, ["language prompt text"])
    observer = app.test_client()
    observer.post("/login", data={"employee_no": supervisor.employee_no, "password": PASSWORD})
    for checklist in db.session.scalars(select(Checklist.id)):
        pages.check(observer, f"/drills/observations/new/{checklist}/{trainee.id}", index, ["checklist text"])
    staff = app.test_client()
    staff.post("/login", data={"employee_no": hr.employee_no, "password": PASSWORD})
    pages.check(staff, "/quizzes/item-analysis", index, ["question text"])
    pages.check(staff, "/training/assign", index, ["activity titles"])
    _report(pages, f"content payload {index}")


# --- user-controlled fields ------------------------------------------------------------------------


def _login(app, employee) -> object:
    client = app.test_client()
    response = client.post("/login", data={"employee_no": employee.employee_no, "password": PASSWORD})
    assert response.status_code in (302, 303)
    return client


@pytest.mark.slow
def test_user_fields_cannot_inject_markup(app, db, synced, make_employee, make_team, make_department):
    admin = make_employee(role=Role.ADMIN)
    hr = make_employee(role=Role.HR)
    dept = make_department()
    supervisor = make_employee(role=Role.SUPERVISOR, department=dept)
    team = make_team(leader=supervisor, department=dept)
    trainee = make_employee(team=team)
    admin_c, hr_c, sup_c, trainee_c = (_login(app, e) for e in (admin, hr, supervisor, trainee))
    pages = _Pages()
    exercise = db.session.scalar(select(ComplaintExercise.id).where(ComplaintExercise.retired.is_(False)).limit(1))
    prompt = db.session.scalar(select(LanguagePrompt.id).where(LanguagePrompt.retired.is_(False)).limit(1))
    checklist = db.session.get(Checklist, db.session.scalar(select(Checklist.id).where(Checklist.retired.is_(False))
                                                            .limit(1)))
    quiz = db.session.scalar(select(Quiz.id).where(Quiz.retired.is_(False)).limit(1))
    today = dt.date.today()
    hr_c.post("/appraisal/new", data={"name": "周期", "starts_on": (today - dt.timedelta(days=5)).isoformat(),
                                      "ends_on": (today + dt.timedelta(days=30)).isoformat(), "weight_theory": 40,
                                      "weight_practice": 30, "weight_observation": 30, "band_excellent": 90,
                                      "band_good": 80, "band_pass": 60, "policy": "best", "scope": "company"})
    from app.appraisal.models import Cycle

    cycle = db.session.scalar(select(Cycle))
    assert cycle is not None
    for index, payload in enumerate(PAYLOADS):
        tag = f"{index:02d}"
        # names: an employee (admin creates), a team and a department (HR)
        admin_c.post("/people/new", data={"employee_no": f"X{tag}", "name": f"{payload}{tag}"[-64:],
                                          "department_id": dept.id, "team_id": team.id, "position": payload[:64],
                                          "role": "trainee", "password": "Long-enough-pass-1"})
        victim = db.session.scalar(select(Employee).where(Employee.employee_no == f"X{tag}"))
        assert victim is not None and victim.name.startswith(payload[:10]), "the employee form refused the payload"
        hr_c.post("/teams/", data={"name": f"{payload}部"[:64]})
        hr_c.post("/teams/new", data={"name": f"{payload}{tag}"[:64], "department_id": dept.id,
                                      "leader_id": supervisor.id})
        # assignment note (the supervisor to the new employee and the trainee)
        sup_c.post("/training/assign", data={"activity": f"quiz:{quiz}", "due_date": (today + dt.timedelta(days=3))
                                             .isoformat(), "note": payload, "employees": [trainee.id, victim.id]})
        # observation item notes
        marks = {"token": new_token(), "version": checklist.content_hash}
        for item in checklist.spec["items"]:
            marks[f"mark-{item['id']}"] = "fail"
            marks[f"note-{item['id']}"] = payload
        sup_c.post(f"/drills/observations/new/{checklist.id}/{trainee.id}", data=marks)
        observation = db.session.scalar(select(Observation).where(Observation.employee_id == trainee.id)
                                        .order_by(Observation.id.desc()))
        # complaint-exercise answers and a language answer
        # (a blank select is refused; the attempt limits, tested in tests/drills, are reset per payload)
        answers = {code: payload for code in FIELD_CODES} | {rule.code: rule.options[0][0] for rule in SELECTS}
        db.session.execute(delete(Result).where(Result.employee_id == trainee.id,
                                                Result.kind.in_(["complaint", "language"])))
        db.session.commit()
        trainee_c.post(f"/drills/complaints/{exercise}", data={**answers, "token": new_token()})
        submission = db.session.scalar(select(ComplaintSubmission).where(ComplaintSubmission.employee_id == trainee.id)
                                       .order_by(ComplaintSubmission.id.desc()))
        trainee_c.post(f"/drills/language/{prompt}", data={"answer": f"您好，{payload}", "token": new_token()})
        answer = db.session.scalar(select(LanguageAnswer).where(LanguageAnswer.employee_id == trainee.id)
                                   .order_by(LanguageAnswer.id.desc()))
        # HR: adjustment reason, API token name; a login attempt lands in the audit trail
        hr_c.post(f"/appraisal/{cycle.id}/employees/{trainee.id}/adjust", data={"points": "1", "reason": payload})
        hr_c.post("/appraisal/tokens", data={"name": payload[:64]})
        app.test_client().post("/login", data={"employee_no": payload[:64], "password": "whatever-pass-1"})
        # uploads: a payload file name and payload cells
        csv = f"工号,姓名,部门,班组,岗位,入职日期,角色\nU{tag},{payload.replace(',', ' ')},客服部,,{payload.replace(',', ' ')},2024-01-01,学员\n"
        upload = hr_c.post("/people/import/", data={"file": (io.BytesIO(csv.encode()), f"{payload}.csv")},
                           buffered=True)
        assert upload.status_code in (200, 400), upload.status_code
        pages.pages += 1
        for problem in executable_markup(upload.get_data(as_text=True)):
            pages.problems.append(f"import preview payload {index}: {problem}")
        pages.combinations |= {(index, "import file name"), (index, "import cell values")}

        assert observation is not None and submission is not None and answer is not None
        for client, url, fields in (
            (admin_c, "/people/", ["employee name", "position"]),
            (admin_c, f"/people/{victim.id}", ["employee name", "position"]),
            (admin_c, f"/people/{victim.id}/edit", ["employee name", "position"]),
            (hr_c, "/teams/", ["team name", "department name"]),
            (hr_c, "/training/assign", ["employee name", "team name"]),
            (sup_c, "/training/team", ["employee name", "team name"]),
            (sup_c, f"/training/employees/{trainee.id}", ["assignment note"]),
            (trainee_c, "/training/", ["assignment note"]),
            (trainee_c, "/training/notifications", ["assignment note"]),
            (sup_c, "/drills/observations/new", ["employee name"]),
            (sup_c, f"/drills/observations/{observation.id}", ["observation item note"]),
            (trainee_c, f"/drills/observations/{observation.id}", ["observation item note"]),
            (trainee_c, f"/drills/complaints/submissions/{submission.id}", ["complaint answers"]),
            (sup_c, f"/drills/complaints/submissions/{submission.id}", ["complaint answers"]),
            (trainee_c, f"/drills/complaints/{exercise}", ["complaint answers (history)"]),
            (trainee_c, f"/drills/language/answers/{answer.id}", ["language answer"]),
            (trainee_c, f"/drills/language/{prompt}", ["language answer (history)"]),
            (hr_c, f"/appraisal/{cycle.id}", ["employee name", "team name", "adjustment reason"]),
            (hr_c, f"/appraisal/{cycle.id}/employees/{trainee.id}", ["adjustment reason"]),
            (hr_c, f"/appraisal/{cycle.id}/departments", ["department name"]),
            (hr_c, "/appraisal/tokens", ["API token name"]),
            (admin_c, "/admin/audit", ["audit details (login name, reasons)"]),
            (trainee_c, "/search?q=" + payload.replace("&", "%26").replace("#", "%23"), ["search query"]),
            (hr_c, "/quizzes/attempts/", ["employee name"]),
        ):
            pages.check(client, url, index, fields, shows=SHOWS.get(url.split("?")[0].rstrip("0123456789"), None)
                        and payload[:12])
    # a cycle named with a payload, closed and reopened with a payload reason
    hr_c.post(f"/appraisal/{cycle.id}/edit", data={"name": PAYLOADS[1][:64], "starts_on": cycle.starts_on.isoformat(),
                                                    "ends_on": cycle.ends_on.isoformat(), "weight_theory": 40,
                                                    "weight_practice": 30, "weight_observation": 30,
                                                    "band_excellent": 90, "band_good": 80, "band_pass": 60,
                                                    "policy": "best", "scope": "company"})
    hr_c.post(f"/appraisal/{cycle.id}/close")
    hr_c.post(f"/appraisal/{cycle.id}/reopen", data={"reason": PAYLOADS[0]})
    for url in ("/appraisal/", f"/appraisal/{cycle.id}", "/admin/audit"):
        pages.check(hr_c if "admin" not in url else admin_c, url, 1, ["cycle name", "reopen reason"])
    _report(pages, "user fields")
    assert len(pages.combinations) >= len(PAYLOADS) * 15


#: pages (URL without its trailing id) that must show the payload as text
SHOWS = {"/people/": True, "/drills/observations/": True, "/drills/complaints/submissions/": True,
         "/drills/language/answers/": True, "/appraisal/tokens": True, "/admin/audit": True,
}


def _report(pages: _Pages, what: str) -> None:
    print(f"\nXSS {what}: {len(pages.combinations)} payload×field combinations, {pages.pages} pages parsed, "
          f"{len(pages.problems)} with executable markup")
    assert not pages.problems, "\n".join(pages.problems[:40])
