"""Reads of certificates for pages, the team dashboard, my training and the HR export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, case, func, literal, select
from sqlalchemy.orm import joinedload

from app.certificates.models import Certificate
from app.certificates.services import CertStatus, due_for_renewal, status_of
from app.extensions import db
from app.people.models import Employee

STATUSES = (CertStatus.VALID.value, CertStatus.EXPIRED.value, CertStatus.REVOKED.value)


def status_sql(today: dt.date):
    """The derived status as SQL (the same rule as :func:`services.status_of`)."""
    return case((Certificate.revoked_at.is_not(None), literal(CertStatus.REVOKED.value)),
                (Certificate.expires_on < today, literal(CertStatus.EXPIRED.value)),
                else_=literal(CertStatus.VALID.value))


@dataclass(frozen=True)
class CertificateRow:
    cert: Certificate
    status: CertStatus
    due_for_renewal: bool

    @property
    def course_title(self) -> str:
        return self.cert.course.title if self.cert.course else self.cert.course_id


def rows(certs, today: dt.date) -> list[CertificateRow]:
    return [CertificateRow(c, status_of(c, today), due_for_renewal(c, today)) for c in certs]


def hr_list(today: dt.date, *, status: str | None = None, course_id: str | None = None,
            department_id: int | None = None) -> Select:
    """Current certificates (superseded ones are left out), newest first, with filters."""
    stmt = (select(Certificate).join(Employee, Employee.id == Certificate.employee_id)
            .options(joinedload(Certificate.employee).joinedload(Employee.department),
                     joinedload(Certificate.course))
            .where(Certificate.current_slot == 1))
    if status in STATUSES:
        stmt = stmt.where(status_sql(today) == status)
    if course_id:
        stmt = stmt.where(Certificate.course_id == course_id)
    if department_id is not None:
        stmt = stmt.where(Employee.department_id == department_id)
    return stmt.order_by(Certificate.issued_at.desc(), Certificate.id.desc())


def of_employee(employee_id: int, today: dt.date) -> list[CertificateRow]:
    """The employee's current certificates (one per course), by course."""
    certs = db.session.scalars(select(Certificate).options(joinedload(Certificate.course))
                               .where(Certificate.employee_id == employee_id, Certificate.current_slot == 1)
                               .order_by(Certificate.course_id))
    return rows(certs, today)


def team_attention(member_ids: list[int], today: dt.date) -> list[CertificateRow]:
    """The members' current certificates that are expired or due for renewal (not revoked)."""
    if not member_ids:
        return []
    certs = db.session.scalars(select(Certificate).options(joinedload(Certificate.employee),
                                                           joinedload(Certificate.course))
                               .where(Certificate.employee_id.in_(member_ids), Certificate.current_slot == 1,
                                      Certificate.revoked_at.is_(None))
                               .order_by(Certificate.expires_on, Certificate.id))
    return [r for r in rows(certs, today) if r.status == CertStatus.EXPIRED or r.due_for_renewal]


def export_summary(today: dt.date):
    """Per employee: the worst status of their current certificates and the earliest expiry of the
    unrevoked ones, as a subquery (employee_id, certificate_status, certificate_expires_on) for the
    HR export (expired > revoked > valid)."""
    status = status_sql(today)
    rank = case((status == CertStatus.EXPIRED.value, 3), (status == CertStatus.REVOKED.value, 2), else_=1)
    return (select(Certificate.employee_id.label("employee_id"), func.max(rank).label("certificate_rank"),
                   func.min(case((Certificate.revoked_at.is_(None), Certificate.expires_on), else_=None))
                   .label("certificate_expires_on"))
            .where(Certificate.current_slot == 1).group_by(Certificate.employee_id).subquery())


#: the status each ``certificate_rank`` stands for (what a closed appraisal cycle's snapshot keeps)
RANK_STATUSES = {1: CertStatus.VALID.value, 2: CertStatus.REVOKED.value, 3: CertStatus.EXPIRED.value}
#: the export's words for a status (printed in Chinese whatever the interface language)
STATUS_LABELS_ZH = {CertStatus.VALID.value: "有效", CertStatus.REVOKED.value: "已撤销",
                    CertStatus.EXPIRED.value: "已过期"}
#: the export's words for ``certificate_rank``
RANK_LABELS_ZH = {rank: STATUS_LABELS_ZH[status] for rank, status in RANK_STATUSES.items()}
