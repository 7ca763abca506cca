"""The access matrix: every route × every role × (where it takes an object) every kind of object.

``TABLE`` below is the contract (SECURITY.md is derived from it). Every rule of ``app.url_map``
must be classified there; a route added later fails ``test_every_route_is_classified`` with
"classify endpoint X" until someone decides who may use it.

A *leak* is any of:
- a response other than a denial (403/404, 400 for a refused POST, 401 or a redirect to the login
  page for anonymous users) where the table says the role may not use the route for that object;
- a page a trainee or supervisor may open that names an employee they may not see;
- a forbidden POST that changed any row (checked with a digest of every table, except the audit
  trail that records the denial and the notifications a page load may write).
The test prints the cases tried and the leaks, and asserts there are none. Allowed routes must
answer 2xx or a redirect (never 500).
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from app.drills.common.tokens import new_token
from app.drills.models import ScenarioRun
from app.extensions import db as _db
from app.quizzes.models import Question
from tests.security.security_world import (
    KINDS,
    PERSONAS,
    ROLES,
    World,
    build_world,
    changed_tables,
    fingerprint,
)

ALL_KINDS = " ".join(KINDS)
PUBLIC = "anonymous trainee supervisor hr admin"
USERS = "trainee supervisor hr admin"
STAFF = "supervisor hr admin"
HR_ADMIN = "hr admin"
NOBODY = ""
SKIP_ENDPOINTS = {"static", "bootstrap.static"}
FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()


@dataclass(frozen=True)
class Access:
    """Who may use one route. ``get``/``post``: a space-separated role list (every object kind),
    or {role: "kinds …"} for routes taking an object of type ``obj``. Roles not named are denied.
    ``post`` defaults to ``get`` for GET+POST routes. ``data`` builds the form a forbidden POST
    sends (a valid one, so that a missing check would really change something)."""

    get: str | dict | None = None
    post: str | dict | None = None
    obj: str | None = None
    data: Callable[[World, dict], dict] | None = None
    query: Callable[[World, str, str], dict] | None = None
    values: dict = field(default_factory=dict)
    api: bool = False
    note: str = ""


def own_or_team(trainee="own", supervisor="own team", staff=ALL_KINDS):
    return {"trainee": trainee, "supervisor": supervisor, "hr": staff, "admin": staff}


OWN_ONLY = {"trainee": "own", "supervisor": "own", "hr": "own", "admin": "own"}
VIEW = own_or_team()  # the can_view rule: self, the teams one leads, everyone for HR/admin
#: can_manage_team_member: supervisors their team, HR/admin everyone else, nobody themselves
OTHERS = " ".join(k for k in KINDS if k != "own")
MANAGE = {"supervisor": "team", "hr": OTHERS, "admin": OTHERS}
TEAM_MANAGE = {"supervisor": "own", "hr": ALL_KINDS, "admin": ALL_KINDS}
#: a background job: its owner, and HR/admin
JOB_VIEW = {"trainee": "own", "supervisor": "own", "hr": ALL_KINDS, "admin": ALL_KINDS}


def _employee_form(world: World, v: dict) -> dict:
    dept = world.people["T006"].department_id
    return {"employee_no": "X900", "name": "越权修改", "department_id": str(dept), "team_id": "",
            "position": "x", "hire_date": "2024-01-01", "role": "admin", "password": "Very-long-pass-99"}


def _observation_form(world: World, v: dict) -> dict:
    from app.drills.models import Checklist

    checklist = _db.session.get(Checklist, world.catalog["checklist"])
    data = {"token": new_token(), "version": checklist.content_hash}
    for item in checklist.spec["items"]:
        data[f"mark-{item['id']}"] = "fail"
        data[f"note-{item['id']}"] = "越权"
    return data


def _choice_form(world: World, v: dict) -> dict:
    run = _db.session.get(ScenarioRun, v["run_id"])
    return {"position": str(run.position), "node": run.current_node, "choice": "0"}


def _cycle_form(world: World, v: dict) -> dict:
    return {"name": "越权周期", "starts_on": "2030-01-01", "ends_on": "2030-02-01", "weight_theory": "40",
            "weight_practice": "30", "weight_observation": "30", "band_excellent": "90", "band_good": "80",
            "band_pass": "60", "policy": "best", "scope": "company"}


def _upload_form(world: World, v: dict) -> dict:
    csv = "工号,姓名,部门,班组,岗位,入职日期,角色\nX901,越权导入,客服部,,客服专员,2024-01-01,admin\n"
    return {"file": (io.BytesIO(csv.encode("utf-8")), "people.csv")}


def _assign_form(world: World, v: dict) -> dict:
    return {"activity": f"quiz:{world.catalog['quiz']}", "due_date": FUTURE, "note": "越权",
            "employees": [str(world.people[n].id) for n in ("T002", "T006", "T011")]}


def _plan_item_form(world: World, v: dict) -> dict:
    return {"activity": f"quiz:{world.catalog['quiz']}", "due_date": FUTURE, "note": "越权"}


def _answers_form(world: World, v: dict) -> dict:
    return {"page": "2", "action": "save", "q1": "0", "q2": "0", "q3": "x"}


def _employee_query(world: World, role: str, kind: str) -> dict:
    return {"employee": world.objects[("employee", world.owner(role, kind))]}


def _team_query(world: World, role: str, kind: str) -> dict | None:
    team = _team_of(world, role, kind)
    return None if team is None else {"team": team}


TABLE: dict[str, Access | list[Access]] = {
    # --- public and account -------------------------------------------------------------------
    "main.healthz": Access(get=PUBLIC),
    "main.index": Access(get=USERS),
    "auth.login": Access(get=PUBLIC, post=PUBLIC),
    "auth.logout": Access(post=USERS),
    "auth.change_password": Access(get=USERS, data=lambda w, v: {
        "current_password": w.password, "new_password": "Brand-new-pass-1", "confirm": "Brand-new-pass-1"}),
    "auth.set_language": Access(get=PUBLIC, values={"code": "en"}),
    # --- administration -----------------------------------------------------------------------
    "admin.audit_log": Access(get="admin"),
    "admin.read_models": Access(get="admin"),
    "admin.rebuild_read_models": Access(post="admin"),
    "people.employee_list": Access(get=STAFF),
    "people.employee_new": Access(get=HR_ADMIN, data=_employee_form),
    "people.employee_detail": Access(get=VIEW, obj="employee"),
    "people.employee_edit": Access(get={"hr": ALL_KINDS, "admin": ALL_KINDS}, obj="employee", data=_employee_form),
    "people.employee_role": Access(post={"admin": ALL_KINDS}, obj="employee", data=lambda w, v: {"role": "admin"}),
    "people.employee_active": Access(post={"hr": "team other_team other_dept", "admin": "team other_team other_dept"},
                                     obj="employee", values={"action": "deactivate"},
                                     note="deactivating one's own account is refused (400)"),
    "people.team_list": Access(get=HR_ADMIN, data=lambda w, v: {"name": "越权部门"}),
    "people.team_edit /teams/new": Access(get=HR_ADMIN, data=lambda w, v: {
        "name": "越权班组", "department_id": str(w.people["T006"].department_id), "leader_id": ""}),
    "people.team_edit /teams/<int:team_id>/edit": Access(
        get={"hr": ALL_KINDS, "admin": ALL_KINDS}, obj="team",
        data=lambda w, v: {"name": "越权班组", "department_id": str(w.people["T006"].department_id),
                           "leader_id": ""}),
    "people.team_active": Access(post={"hr": ALL_KINDS, "admin": ALL_KINDS}, obj="team",
                                 values={"action": "deactivate"}),
    "imports.upload": Access(get=HR_ADMIN, data=_upload_form),
    "imports.confirm": Access(post=HR_ADMIN, data=lambda w, v: {"token": "0" * 32}),
    # --- content ------------------------------------------------------------------------------
    "content.catalogue": Access(get=USERS),
    "content.course": Access(get=USERS),
    "content.lesson": Access(get=USERS),
    "content.mark_read": Access(post=USERS),
    "content.handbook": Access(get=USERS),
    "content.search": Access(get=USERS),
    # --- quizzes ------------------------------------------------------------------------------
    "quizzes.quiz_list": Access(get=USERS),
    "quizzes.start": Access(post=USERS),
    "quizzes.attempt": Access(get=OWN_ONLY, obj="open_attempt", data=_answers_form),
    "quizzes.autosave": Access(post=OWN_ONLY, obj="open_attempt", data=_answers_form),
    "quizzes.summary": Access(get=OWN_ONLY, obj="open_attempt"),
    "quizzes.submit": Access(post=OWN_ONLY, obj="open_attempt"),
    "quizzes.review": Access(get=VIEW, obj="attempt"),
    "quizzes.attempt_list": [Access(get=USERS, note="lists only the attempts of visible employees"),
                             Access(get=VIEW, obj="employee", query=_employee_query)],
    "quizzes.item_analysis": Access(get=HR_ADMIN),
    "quizzes.flag_question": Access(post=HR_ADMIN, data=lambda w, v: {"reason": "越权标记"}),
    "quizzes.clear_flag": Access(post=HR_ADMIN),
    # --- drills -------------------------------------------------------------------------------
    "drills.drill_list": Access(get=USERS),
    "drills.scenario_intro": Access(get=USERS),
    "drills.scenario_start": Access(post=USERS),
    "drills.run_play": Access(get=OWN_ONLY, obj="open_run"),
    "drills.run_choose": Access(post=OWN_ONLY, obj="open_run", data=_choice_form),
    "drills.run_review": Access(get=VIEW, obj="run"),
    "drills.complaint_form": Access(get=USERS, data=lambda w, v: {"token": new_token(), "answer": "您好"}),
    "drills.complaint_result": Access(get=VIEW, obj="complaint"),
    "drills.language_form": Access(get=USERS, data=lambda w, v: {"token": new_token(), "answer": "您好，请问有什么可以帮您"}),
    "drills.language_result": Access(get=VIEW, obj="language"),
    "drills.observation_list": Access(get=USERS, note="about me; by me and my teams for observers"),
    "drills.observation_pick": Access(get=STAFF),
    "drills.observation_form": Access(get=MANAGE, obj="employee", data=_observation_form,
                                      note="HR/admin may observe anyone (can_manage_team_member)"),
    "drills.observation_view": Access(get=VIEW, obj="observation", note="also the observer who scored it"),
    # --- training -----------------------------------------------------------------------------
    "training.my_training": Access(get=USERS),
    "training.notification_list": Access(get=USERS),
    "training.notifications_read": Access(post=USERS),
    "training.team_dashboard": [Access(get=STAFF),
                                Access(get=TEAM_MANAGE, obj="team", query=_team_query)],
    "training.assign": Access(get=STAFF, post=STAFF, data=_assign_form,
                              note="a supervisor's POST naming employees outside their teams is refused"),
    "training.refresher": Access(post=TEAM_MANAGE, obj="team",
                                 data=lambda w, v: {"lesson_id": w.catalog["lesson"], "threshold": "100"}),
    "training.employee_training": Access(get=VIEW, obj="employee"),
    "training.plan_create": Access(post=MANAGE, obj="employee"),
    "training.plan_add": Access(post=MANAGE, obj="employee", data=_plan_item_form),
    "training.assignment_due": Access(post=MANAGE, obj="assignment", data=lambda w, v: {"due_date": FUTURE}),
    "training.assignment_cancel": Access(post=MANAGE, obj="assignment"),
    "training.assignment_fresh_attempts": Access(post=MANAGE, obj="assignment"),
    "training.retest_list": Access(get=HR_ADMIN),
    "training.retest_preview": Access(get=HR_ADMIN),
    "training.retest_confirm": Access(post=HR_ADMIN),
    "training.retest_dismiss": Access(post=HR_ADMIN),
    # --- certificates: the public verification page; the PDF (can_view); HR's list, revocation ----
    "certificates.verify": Access(get=PUBLIC, note="public: holder, course, dates, status; nothing else"),
    "certificates.download": Access(get=VIEW, obj="certificate"),
    "certificates.hr_list": Access(get=HR_ADMIN),
    "certificates.revoke": Access(get={"hr": ALL_KINDS, "admin": ALL_KINDS}, obj="certificate",
                                  data=lambda w, v: {"reason": "越权撤销"}),
    # --- appraisal (HR) -----------------------------------------------------------------------
    "appraisal.cycle_list": Access(get=HR_ADMIN),
    "appraisal.cycle_new": Access(get=HR_ADMIN, data=_cycle_form),
    "appraisal.cycle_overview": Access(get=HR_ADMIN),
    "appraisal.cycle_edit": Access(get=HR_ADMIN, data=_cycle_form),
    "appraisal.cycle_close": Access(post=HR_ADMIN),
    "appraisal.cycle_reopen": Access(post=HR_ADMIN, data=lambda w, v: {"reason": "越权"}),
    "appraisal.department_comparison": Access(get=HR_ADMIN),
    "appraisal.employee_page": Access(get={"hr": ALL_KINDS, "admin": ALL_KINDS}, obj="employee"),
    "appraisal.employee_adjust": Access(post={"hr": ALL_KINDS, "admin": ALL_KINDS}, obj="employee",
                                        data=lambda w, v: {"points": "5", "reason": "越权"}),
    "appraisal.export": [Access(get=HR_ADMIN, values={"fmt": "csv"}), Access(get=HR_ADMIN, values={"fmt": "xlsx"})],
    "appraisal.api_tokens": Access(get="hr", data=lambda w, v: {"name": "越权令牌"}),
    "appraisal.api_token_revoke": Access(post="hr"),
    # --- background jobs: the owner, and HR/admin (who see every job) ------------------------
    "jobs.job_page": Access(get=JOB_VIEW, obj="job"),
    "jobs.job_status": Access(get=JOB_VIEW, obj="job"),
    "jobs.job_download": Access(get=JOB_VIEW, obj="job", note="audited (jobs.download)"),
    "jobs.job_retry": Access(post=JOB_VIEW, obj="failed_job"),
    # --- the HR API: bearer tokens only; no browser session authenticates ----------------------
    "api.cycles": Access(get=NOBODY, api=True),
    "api.cycle_scores": Access(get=NOBODY, api=True),
}


# --- the machinery --------------------------------------------------------------------------------


def _team_of(world: World, role: str, kind: str) -> int | None:
    if kind == "team":
        return None  # teams have no "same team" kind
    if kind == "own" and role in ("hr", "admin"):
        return None  # HR and admin lead no team
    return world.teams[kind]


def _object_id(world: World, obj: str, role: str, kind: str) -> int | None:
    if obj == "team":
        return _team_of(world, role, kind)
    return world.objects.get((obj, world.owner(role, kind)))


ARG_OF_OBJ = {"employee": "employee_id", "attempt": "attempt_id", "open_attempt": "attempt_id", "run": "run_id",
              "open_run": "run_id", "complaint": "submission_id", "language": "answer_id",
              "observation": "observation_id", "assignment": "assignment_id", "team": "team_id",
              "job": "job_id", "failed_job": "job_id", "certificate": "cert_id"}


def _fixed_values(world: World, endpoint: str) -> dict:
    return {
        "cycle_id": world.closed_cycle_id if endpoint == "appraisal.cycle_reopen" else world.cycle_id,
        "token_id": world.live_token_id, "code": world.verify_code, "quiz_id": world.catalog["quiz"],
        "scenario_id": world.catalog["scenario"], "exercise_id": world.catalog["exercise"],
        "prompt_id": world.catalog["prompt"], "checklist_id": world.catalog["checklist"],
        "course_id": world.catalog["course"], "lesson_id": world.catalog["lesson"],
        "change_set_id": world.change_set_id,
        "question_id": _db.session.scalar(select(Question.id).order_by(Question.id).limit(1)),
    }


def _allowed(spec, role: str, kind: str | None) -> bool:
    if spec is None:
        return False
    if isinstance(spec, str):
        return role in spec.split()
    return kind in spec.get(role, "").split()


def _lookup(rule) -> list[Access] | None:
    entry = TABLE.get(f"{rule.endpoint} {rule.rule}") or TABLE.get(rule.endpoint)
    if entry is None:
        return None
    return entry if isinstance(entry, list) else [entry]


def _rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint not in SKIP_ENDPOINTS),
                  key=lambda r: (r.endpoint, r.rule))


def test_every_route_is_classified(app):
    missing = [f"classify endpoint {r.endpoint} ({r.rule})" for r in _rules(app) if _lookup(r) is None]
    assert not missing, "\n".join(missing)
    stale = set(TABLE) - {r.endpoint for r in _rules(app)} - {f"{r.endpoint} {r.rule}" for r in _rules(app)}
    assert not stale, f"the table names routes that no longer exist: {sorted(stale)}"


@dataclass
class Tally:
    cases: int = 0
    gets: int = 0
    posts: int = 0
    leaks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _is_login_redirect(response) -> bool:
    return response.status_code in (301, 302, 303) and "/login" in response.headers.get("Location", "")


def _denied(response, role: str, method: str, api: bool) -> bool:
    if api:
        return response.status_code == 401
    if role == "anonymous":
        return _is_login_redirect(response) or response.status_code in (401, 403, 404)
    allowed = {403, 404} | ({400} if method == "POST" else set())
    return response.status_code in allowed


def _ok(response) -> bool:
    if 200 <= response.status_code < 300:
        return True
    return response.status_code in (301, 302, 303) and not _is_login_redirect(response)


def _clients(app, world: World) -> dict:
    clients = {"anonymous": app.test_client()}
    for role, employee_no in PERSONAS.items():
        client = app.test_client()
        response = client.post("/login", data={"employee_no": employee_no, "password": world.password})
        assert response.status_code in (302, 303), (role, response.status_code)
        clients[role] = client
    return clients


def _cases(world: World, rule, access: Access, role: str):
    """(kind, url) for each request of this role; kind None for routes without an object."""
    adapter_values = {**_fixed_values(world, rule.endpoint), **access.values}
    kinds = KINDS if access.obj else (None,)
    for kind in kinds:
        values = {k: v for k, v in adapter_values.items() if k in rule.arguments}
        query = {}
        if access.obj:
            object_id = _object_id(world, access.obj, role, kind)
            if object_id is None:
                continue
            if access.query:
                query = access.query(world, role, kind) or {}
                if not query:
                    continue
            else:
                arg = ARG_OF_OBJ[access.obj]
                if arg not in rule.arguments:
                    continue
                values[arg] = object_id
        yield kind, values, query


def _hidden_names_in(body: str, hidden: dict[str, str]) -> list[str]:
    return [f"{no} {name}" for no, name in hidden.items() if name in body]


@pytest.mark.slow
def test_access_matrix_has_no_leaks(app, db, synced):
    t_world = time.monotonic()
    world = build_world()
    clients = _clients(app, world)
    t_gets = time.monotonic()
    adapter = app.url_map.bind("localhost")
    tally = Tally()
    posts = []
    for rule in _rules(app):
        accesses = _lookup(rule)
        assert accesses is not None, f"classify endpoint {rule.endpoint}"
        for access in accesses:
            for role in ROLES:
                for kind, values, query in _cases(world, rule, access, role):
                    url = adapter.build(rule.endpoint, values, force_external=False)
                    if query:
                        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
                    label = f"{role:<10} {kind or '-':<10} {url}"
                    if "GET" in rule.methods:
                        tally.cases += 1
                        tally.gets += 1
                        response = clients[role].get(url, buffered=True)
                        _judge_get(world, tally, response, access, role, kind, label)
                    if "POST" in rule.methods:
                        spec = access.post if access.post is not None else access.get
                        if _allowed(spec, role, kind):
                            continue  # an allowed mutation would change the world; its own tests cover it
                        posts.append((rule, access, role, kind, values, url, label))
    # Forbidden mutations last, so that the world the GETs saw is the demo one. The digest of every
    # table is taken after each route's forbidden POSTs (a change names the route).
    t_posts = time.monotonic()
    before = fingerprint()
    by_rule: dict[str, list] = {}
    for item in posts:
        by_rule.setdefault(f"{item[0].endpoint} {item[0].rule}", []).append(item)
    for route, items in by_rule.items():
        for _rule, access, role, _kind, values, url, label in items:
            tally.cases += 1
            tally.posts += 1
            data = access.data(world, values) if access.data else {}
            response = clients[role].post(url, data=data, buffered=True)
            if response.status_code >= 500:
                tally.errors.append(f"POST {label}: {response.status_code}")
            if not _denied(response, role, "POST", access.api):
                tally.leaks.append(f"POST {label}: {response.status_code} where the table says forbidden")
        after = fingerprint()
        changed = changed_tables(before, after)
        if changed:
            tally.leaks.append(f"POST {route} by a forbidden role changed {changed}")
            before = after
    timing = f"world {t_gets - t_world:.1f}s, GETs {t_posts - t_gets:.1f}s, POSTs {time.monotonic() - t_posts:.1f}s"
    print(f"\naccess matrix: {tally.cases} cases ({tally.gets} GET, {tally.posts} forbidden POST), "
          f"{len(tally.leaks)} leaks, {len(tally.errors)} errors ({timing})")
    for line in tally.leaks + tally.errors:
        print("  ", line)
    assert tally.cases > 500
    assert not tally.errors, "\n".join(tally.errors)
    assert not tally.leaks, "\n".join(tally.leaks)


def _judge_get(world: World, tally: Tally, response, access: Access, role: str, kind: str | None,
               label: str) -> None:
    if response.status_code >= 500:
        tally.errors.append(f"GET {label}: {response.status_code}")
        return
    if _allowed(access.get, role, kind):
        if not _ok(response):
            tally.errors.append(f"GET {label}: {response.status_code} where the table says allowed")
    elif not _denied(response, role, "GET", access.api):
        tally.leaks.append(f"GET {label}: {response.status_code} where the table says forbidden")
        return
    if response.status_code == 200 and response.mimetype == "text/html":
        seen = _hidden_names_in(response.get_data(as_text=True), world.names_hidden_from(role))
        if seen:
            tally.leaks.append(f"GET {label}: shows {', '.join(seen)}")


# --- the HR API -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_hr_api_needs_a_live_token(app, db, synced):
    world = build_world()
    trainee = app.test_client()
    trainee.post("/login", data={"employee_no": "T001", "password": world.password})
    hr = app.test_client()
    hr.post("/login", data={"employee_no": "H001", "password": world.password})
    anonymous = app.test_client()
    urls = ["/api/v1/cycles", f"/api/v1/cycles/{world.cycle_id}/scores", f"/api/v1/cycles/{world.closed_cycle_id}/scores"]
    tried = 0
    for url in urls:
        for client, headers, why in (
            (anonymous, {}, "no token"),
            (anonymous, {"Authorization": "Bearer "}, "empty token"),
            (anonymous, {"Authorization": f"Basic {world.token_plain}"}, "wrong scheme"),
            (anonymous, {"Authorization": f"Bearer {world.revoked_plain}"}, "revoked token"),
            (anonymous, {"Authorization": f"Bearer {world.token_plain}x"}, "altered token"),
            (trainee, {}, "trainee's session cookie"),
            (hr, {}, "HR's session cookie"),
        ):
            tried += 1
            response = client.get(url, headers=headers)
            assert response.status_code == 401, (url, why, response.status_code)
            body = response.get_data(as_text=True)
            assert "employee_no" not in body and world.people["T006"].name not in body, (url, why)
        response = anonymous.get(url, headers={"Authorization": f"Bearer {world.token_plain}"})
        assert response.status_code == 200, url
    print(f"\nHR API: {tried} unauthenticated cases, all 401")
