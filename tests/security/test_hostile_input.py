"""No URL or query parameter produces a 500: every rule of ``app.url_map`` with ids at and beyond
what a BIGINT holds (and negative), and every GET page with malformed integer and NUL query
parameters, for every role. Plus: names with control characters or bidi overrides are refused
with a form error, and ``access.denied`` audit rows are rate-limited per user and endpoint."""

from __future__ import annotations

import inspect

import pytest
from sqlalchemy import func, select
from werkzeug.routing import AnyConverter, IntegerConverter

from app.audit.models import AuditEvent
from app.people.models import Department, Employee, Role
from app.routing import MAX_ID
from tests.security.security_world import build_world
from tests.security.test_access_matrix import ARG_OF_OBJ, _clients, _fixed_values, _rules

HUGE = [MAX_ID + 1, 2**63, 10**30]
#: every query parameter the app reads, with values a hostile client sends
QUERY_NAMES = ["page", "per_page", "department", "team", "employee", "kind", "course", "checklist", "activity",
               "q", "since", "until", "actor", "action", "inactive", "next"]
BAD_VALUES = ["abc", "-1", str(MAX_ID + 1), "1e9", "\x00", "\u202e1", "١٢"]


def _names_read_by(app, endpoint: str) -> list[str]:
    """The query parameters a view names in its own source (helpers it calls are covered by the
    request that sends every parameter at once)."""
    try:
        source = inspect.getsource(app.view_functions[endpoint])
    except (OSError, TypeError):
        return []
    return [n for n in QUERY_NAMES if f'"{n}"' in source]


def _argument_values(world, rule, int_value) -> dict | None:
    fixed = _fixed_values(world, rule.endpoint)
    values = {}
    for arg in rule.arguments - set(rule.defaults or {}):
        converter = rule._converters.get(arg)
        if isinstance(converter, IntegerConverter):
            if int_value is None:  # a real object where one exists (the query walk)
                obj = next((o for o, a in ARG_OF_OBJ.items() if a == arg), None)
                values[arg] = fixed.get(arg) or (world.objects.get((obj, "T002")) if obj else None) or 1
                if not isinstance(values[arg], int):
                    values[arg] = 1
            else:
                values[arg] = int_value
        elif isinstance(converter, AnyConverter):
            values[arg] = sorted(converter.items)[0] if hasattr(converter, "items") else fixed.get(arg, "x")
        else:
            values[arg] = fixed.get(arg, "x")
    return values


@pytest.mark.slow
def test_no_url_or_query_parameter_gives_a_500(app, db, synced):
    world = build_world()
    clients = _clients(app, world)
    adapter = app.url_map.bind("localhost")
    errors, cases = [], 0
    int_rules = [r for r in _rules(app) if any(isinstance(r._converters.get(a), IntegerConverter)
                                                 for a in r.arguments)]
    assert len(int_rules) > 20
    for rule in int_rules:
        for value in HUGE:
            path = adapter.build(rule.endpoint, _argument_values(world, rule, value))
            for role in ("admin", "hr"):  # between them, past every role check
                for method in sorted(rule.methods & {"GET", "POST"}):
                    cases += 1
                    response = clients[role].open(path, method=method, data={} if method == "POST" else None)
                    if response.status_code >= 500:
                        errors.append(f"{role} {method} {path}: {response.status_code}")
        negative = adapter.build(rule.endpoint, _argument_values(world, rule, 1)).replace("/1", "/-1", 1)
        cases += 1
        if clients["admin"].get(negative).status_code >= 500:
            errors.append(f"admin GET {negative}: 500")
    for rule in (r for r in _rules(app) if "GET" in r.methods):
        path = adapter.build(rule.endpoint, _argument_values(world, rule, None))
        if rule.defaults:  # the rule build picked may be another of the endpoint's rules
            path = rule.rule
        queries = [{name: bad for name in QUERY_NAMES} for bad in BAD_VALUES]
        queries += [{name: bad} for name in _names_read_by(app, rule.endpoint) for bad in BAD_VALUES]
        for query in queries:
            for role in ("admin", "supervisor"):
                cases += 1
                response = clients[role].get(path, query_string=query)
                if response.status_code >= 500:
                    errors.append(f"{role} GET {path}?{query}: {response.status_code}")
    print(f"\nhostile ids and query parameters: {cases} requests, {len(errors)} errors")
    assert cases > 1000
    assert not errors, "\n".join(errors[:50])


def test_a_huge_id_is_404_not_500(client, db, login_as):
    login_as(Role.ADMIN)
    for path in (f"/people/{2**31}", f"/people/{2**63}", f"/people/{2**64}/edit", f"/appraisal/{10**25}",
                 "/people/-1"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/people/{MAX_ID}").status_code == 404  # the largest id parses and is simply missing


@pytest.mark.parametrize("query", ["department=abc", f"department={2**64}", "page=0", f"page={2**63}", "page=x"])
def test_malformed_query_ints_are_400_naming_the_parameter(client, db, login_as, query):
    login_as(Role.ADMIN)
    client.set_cookie("lang", "en")
    response = client.get(f"/people/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.get_data(as_text=True)


@pytest.mark.parametrize("bad", ["张\x00三", "张\u202e三", "张\x07三", "\u2066张三"])
def test_control_characters_in_names_are_a_form_error(client, db, login_as, bad):
    login_as(Role.ADMIN)
    client.set_cookie("lang", "en")
    response = client.post("/people/new", data={"employee_no": "N777", "name": bad, "role": "trainee",
                                                "password": "initial-password-1"})
    assert response.status_code == 200
    assert "invisible control characters" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Employee).where(Employee.employee_no == "N777")) == 0
    response = client.post("/teams/", data={"name": bad})
    assert "invisible control characters" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Department)) == 0


def test_ordinary_names_still_pass(client, db, login_as):
    login_as(Role.ADMIN)
    response = client.post("/people/new", data={"employee_no": "N778", "name": "欧阳·娜娜 O'Neil", "role": "trainee",
                                                "position": "客服专员（夜班）", "password": "initial-password-1"})
    assert response.status_code == 302


def test_nul_in_a_login_or_query_string_is_400_not_500(client, db):
    assert client.post("/login", data={"employee_no": "A\x00", "password": "x" * 12}).status_code == 200
    assert client.get("/login?next=%00").status_code == 400


def test_access_denied_rows_are_rate_limited_per_user_and_endpoint(client, db, login_as):
    me = login_as(Role.TRAINEE)
    for _ in range(30):
        assert client.get("/teams/").status_code == 403
    for _ in range(5):
        assert client.get("/admin/audit").status_code == 403
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert sorted(r.target for r in rows) == ["endpoint:admin.audit_log", "endpoint:people.team_list"]
    assert {r.actor_id for r in rows} == {me.id}


def test_access_denied_is_audited_again_after_a_minute(client, db, login_as):
    import datetime as dt

    import time_machine

    login_as(Role.TRAINEE)
    start = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    with time_machine.travel(start, tick=False):
        client.get("/teams/")
        client.get("/teams/")
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        client.get("/teams/")
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "access.denied")) == 2
