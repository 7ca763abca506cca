"""Demo data for app/certificates: valid, expiring, expired and revoked certificates.

Passing demo quizzes already issue certificates through the ordinary signal (they are recent, so
valid). This adds a few dated ones so every state shows after `make run`:

* 吴昊 (T007): 新员工入职培训, expiring in 20 days (inside the 30-day renewal window);
* 林峰 (T012): 电话与服务语言, expiring in 10 days;
* 马超 (T014): 投诉接待与处理, expired 40 days ago (邵主管's 门岗班 dashboard shows it);
* 黄强 (T011): 新员工入职培训, revoked by 何人事 (H001) with a reason.

Then ``renew_due`` gives the ones in their window their renewal assignment and notification.
Idempotent: an employee who already has a current certificate of that course is left alone.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.certificates import services
from app.certificates.services import add_months
from app.extensions import db
from app.people.models import Employee
from app.timeutil import site_day_start

#: 工号, course, days until expiry (negative: expired), score, revoke reason ("" = not revoked)
DEMO = (
    ("T007", "new-hire", 20, 88.0, ""),
    ("T012", "communication", 10, 91.5, ""),
    ("T014", "complaints", -40, 86.0, ""),
    ("T011", "new-hire", 200, 84.0, "结业测验由他人代考，经主管核实后撤销"),
)


def seed_certificates(today: dt.date) -> None:
    people = {e.employee_no: e for e in db.session.scalars(select(Employee))}
    hr = people.get("H001")
    for employee_no, course_id, days_left, score, reason in DEMO:
        employee = people.get(employee_no)
        if employee is None or services.current_certificate(employee.id, course_id) is not None:
            continue
        rule = services.rule_for(course_id)
        if rule is None:
            continue
        expires = today + dt.timedelta(days=days_left)
        issued_on = add_months(expires, -rule.valid_months)
        cert = services.issue(employee.id, course_id, score=score, now=site_day_start(issued_on) + dt.timedelta(hours=2))
        if cert is not None and reason and hr is not None:
            services.revoke(cert, hr, reason, now=site_day_start(today) + dt.timedelta(hours=1))
    services.renew_due(today)
