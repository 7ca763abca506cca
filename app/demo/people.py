"""The demo organisation: departments, teams, about 20 employees, one account per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.people.models import Employee, Role, Team
from app.people.services import EmployeeData, create_employee, get_or_create_department, save_team

#: The accounts README lists. Passwords follow the policy (>= 10 characters, not the 工号).
DEMO_PASSWORD = "Academy-2026"


@dataclass(frozen=True)
class DemoPerson:
    employee_no: str
    name: str
    role: str
    department: str
    team: str | None
    position: str
    hired_days_ago: int


DEPARTMENTS = ("客服部", "工程部", "秩序部", "保洁部")
TEAMS = (("客服部", "前台一班", "S001"), ("客服部", "前台二班", "S002"), ("工程部", "维修班", "S003"),
         ("秩序部", "门岗班", "S003"))

PEOPLE = (
    DemoPerson("A001", "管理员", Role.ADMIN, "客服部", None, "系统管理员", 900),
    DemoPerson("H001", "何人事", Role.HR, "客服部", None, "人事专员", 800),
    DemoPerson("S001", "孙主管", Role.SUPERVISOR, "客服部", None, "客服主管", 700),
    DemoPerson("S002", "宋主管", Role.SUPERVISOR, "客服部", None, "客服主管", 650),
    DemoPerson("S003", "邵主管", Role.SUPERVISOR, "工程部", None, "工程主管", 600),
    DemoPerson("T001", "陈小雨", Role.TRAINEE, "客服部", "前台一班", "客服专员", 5),
    DemoPerson("T002", "李明", Role.TRAINEE, "客服部", "前台一班", "客服专员", 12),
    DemoPerson("T003", "王芳", Role.TRAINEE, "客服部", "前台一班", "客服专员", 40),
    DemoPerson("T004", "赵磊", Role.TRAINEE, "客服部", "前台一班", "客服专员", 90),
    DemoPerson("T005", "刘洋", Role.TRAINEE, "客服部", "前台一班", "客服专员", 200),
    DemoPerson("T006", "周静", Role.TRAINEE, "客服部", "前台二班", "客服专员", 8),
    DemoPerson("T007", "吴昊", Role.TRAINEE, "客服部", "前台二班", "客服专员", 30),
    DemoPerson("T008", "郑洁", Role.TRAINEE, "客服部", "前台二班", "客服专员", 150),
    DemoPerson("T009", "冯涛", Role.TRAINEE, "客服部", "前台二班", "接待员", 400),
    DemoPerson("T010", "何丽", Role.TRAINEE, "客服部", "前台二班", "接待员", 3),
    DemoPerson("T011", "黄强", Role.TRAINEE, "工程部", "维修班", "维修工", 60),
    DemoPerson("T012", "林峰", Role.TRAINEE, "工程部", "维修班", "维修工", 300),
    DemoPerson("T013", "高敏", Role.TRAINEE, "秩序部", "门岗班", "秩序员", 20),
    DemoPerson("T014", "马超", Role.TRAINEE, "秩序部", "门岗班", "秩序员", 120),
    DemoPerson("T015", "罗琳", Role.TRAINEE, "保洁部", None, "保洁员", 45),
)


def seed_people(today: dt.date) -> list[tuple[str, str, str]]:
    """Create what is missing and return (role, employee_no, password) for the login accounts."""
    depts = {name: get_or_create_department(name) for name in DEPARTMENTS}
    by_no = {e.employee_no: e for e in db.session.scalars(select(Employee))}
    for person in PEOPLE:
        if person.employee_no in by_no or person.team is not None:
            continue
        by_no[person.employee_no] = _create(person, depts, None, today)
    teams = {}
    for dept_name, team_name, leader_no in TEAMS:
        dept = depts[dept_name]
        team = db.session.scalar(select(Team).where(Team.department_id == dept.id, Team.name == team_name))
        if team is None:
            team = save_team(None, name=team_name, department_id=dept.id, leader_id=by_no[leader_no].id)
        teams[team_name] = team
    for person in PEOPLE:
        if person.employee_no not in by_no:
            by_no[person.employee_no] = _create(person, depts, teams[person.team], today)
    db.session.flush()
    return [(str(p.role), p.employee_no, DEMO_PASSWORD) for p in PEOPLE]


def _create(person: DemoPerson, depts, team: Team | None, today: dt.date) -> Employee:
    data = EmployeeData(
        employee_no=person.employee_no, name=person.name, department_id=depts[person.department].id,
        team_id=team.id if team else None, position=person.position,
        hire_date=today - dt.timedelta(days=person.hired_days_ago), role=str(person.role),
    )
    return create_employee(data, DEMO_PASSWORD, must_change_password=False)
