"""Appraisal cycles, their closed-cycle snapshots and the HR API tokens.

A Cycle is open while HR prepares it and its scores are computed live from Result and Assignment
rows (app/appraisal/scoring.py). Closing it writes one CycleScore row per employee: from then on
pages, exports and the API read only those rows, so results that arrive later change nothing.
Reopening keeps the old rows (``superseded``) and the next close writes a new ``version``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.people.models import Department, Employee
from app.results.kinds import COMPONENTS as KIND_COMPONENTS


class CycleState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class AttemptPolicy(StrEnum):
    BEST = "best"
    LATEST = "latest"


class CycleScope(StrEnum):
    COMPANY = "company"
    DEPARTMENTS = "departments"


class Band(StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    PASS = "pass"
    FAIL = "fail"


COMPONENTS = KIND_COMPONENTS  # the components ActivityKinds feed (app.results.kinds)

cycle_department = Table(
    "appraisal_cycle_department",
    db.metadata,
    Column("cycle_id", ForeignKey("appraisal_cycle.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("department.id"), primary_key=True),
)


class Cycle(db.Model):
    __tablename__ = "appraisal_cycle"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="window"),
        CheckConstraint("weight_theory + weight_practice + weight_observation = 100", name="weights"),
        CheckConstraint("band_excellent >= band_good AND band_good >= band_pass", name="bands"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    #: first and last calendar day of the window, in the site's time zone (both inclusive)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    #: component weights in percent; they sum to 100 and are re-normalised over present components
    weight_theory: Mapped[int] = mapped_column(Integer, default=40)
    weight_practice: Mapped[int] = mapped_column(Integer, default=30)
    weight_observation: Mapped[int] = mapped_column(Integer, default=30)
    #: lower bounds of the grade bands (a total below ``band_pass`` is 不合格)
    band_excellent: Mapped[float] = mapped_column(Float, default=90)
    band_good: Mapped[float] = mapped_column(Float, default=80)
    band_pass: Mapped[float] = mapped_column(Float, default=60)
    #: which result of a repeated activity counts: ``best`` (highest) or ``latest`` in the window
    policy: Mapped[str] = mapped_column(String(8), default=AttemptPolicy.BEST.value)
    #: ``company`` or ``departments`` (then the departments relationship lists them)
    scope: Mapped[str] = mapped_column(String(16), default=CycleScope.COMPANY.value)
    state: Mapped[str] = mapped_column(String(8), default=CycleState.OPEN.value)
    #: the snapshot version written by the latest close (0 = never closed)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    #: the site-local day the snapshot was computed for (what counted as overdue)
    closed_as_of: Mapped[dt.date | None] = mapped_column(Date)

    departments: Mapped[list[Department]] = relationship(secondary=cycle_department,
                                                         order_by="Department.name")
    created_by: Mapped[Employee | None] = relationship(foreign_keys=[created_by_id])
    closed_by: Mapped[Employee | None] = relationship(foreign_keys=[closed_by_id])

    @property
    def is_open(self) -> bool:
        return self.state == CycleState.OPEN.value

    @property
    def weights(self) -> dict[str, int]:
        return {"theory": self.weight_theory, "practice": self.weight_practice,
                "observation": self.weight_observation}

    @property
    def bands(self) -> dict[str, float]:
        return {"excellent": self.band_excellent, "good": self.band_good, "pass": self.band_pass}

    def __repr__(self) -> str:
        return f"<Cycle {self.id} {self.name} {self.state}>"


class CycleScore(db.Model):
    """One employee's frozen score in one close of a cycle. Never updated except by an HR adjustment."""

    __tablename__ = "appraisal_cycle_score"
    __table_args__ = (
        UniqueConstraint("cycle_id", "version", "employee_id", name="uq_appraisal_cycle_score_cycle_version_emp"),
        Index("ix_appraisal_cycle_score_employee", "employee_id", "cycle_id"),
        Index("ix_appraisal_cycle_score_cycle_current", "cycle_id", "superseded", "department_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("appraisal_cycle.id"))
    #: the close that wrote this row (Cycle.version at that time)
    version: Mapped[int] = mapped_column(Integer)
    #: set when the cycle was reopened after this close; the row is kept, never deleted
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    #: the employee's organisation as it was at close time (the export shows these)
    employee_no: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    department_id: Mapped[int | None] = mapped_column(Integer)
    department: Mapped[str] = mapped_column(String(64), default="")
    team: Mapped[str] = mapped_column(String(64), default="")
    position: Mapped[str] = mapped_column(String(64), default="")
    #: 直属上级: the leader of the employee's team at close time
    supervisor: Mapped[str] = mapped_column(String(64), default="")
    theory: Mapped[float | None] = mapped_column(Float)
    practice: Mapped[float | None] = mapped_column(Float)
    observation: Mapped[float | None] = mapped_column(Float)
    #: the weighted total the formula gave (null when no component had an assignment)
    computed_total: Mapped[float | None] = mapped_column(Float)
    #: HR's hand adjustment in points (added to computed_total, result clamped to 0-100)
    adjustment: Mapped[float | None] = mapped_column(Float)
    adjustment_reason: Mapped[str] = mapped_column(Text, default="")
    adjusted_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    adjusted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: computed_total plus the adjustment; what the grade is read from
    total: Mapped[float | None] = mapped_column(Float)
    #: a Band value, or null without a total
    band: Mapped[str | None] = mapped_column(String(16))
    #: completed / assigned activities (0-1), null when nothing was assigned
    completion: Mapped[float | None] = mapped_column(Float)
    assigned: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    overdue: Mapped[int] = mapped_column(Integer, default=0)
    #: the employee's certificates as at the close (``closed_as_of``), what the export's 证书状态 prints:
    #: the worst status of their current certificates as a ``CertStatus`` value (``expired`` >
    #: ``revoked`` > ``valid``), null without a certificate; never recomputed afterwards
    certificate_status: Mapped[str | None] = mapped_column(String(8))
    #: 证书到期日 as at the close: the earliest expiry of the unrevoked current certificates (null: none)
    certificate_expires_on: Mapped[dt.date | None] = mapped_column(Date)
    #: what the score was computed from: weights, bands, policy, window and every assigned activity
    #: with the result that counted (see snapshots.py for the shape)
    inputs: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    cycle: Mapped[Cycle] = relationship()


class LiveScore(db.Model):
    """The read model of an OPEN cycle: one employee's component scores and live total, kept up to
    date when a result is recorded, an assignment changes or the cycle's rules change
    (app/appraisal/live.py). The cycle overview, the reports and the export of an open cycle read
    these rows; closing still computes the frozen CycleScore from the source tables, by the same
    rules (scoring.py). Organisation columns (name, team …) are not copied: readers join them.
    """

    __tablename__ = "appraisal_live_score"
    __table_args__ = (
        Index("ix_appraisal_live_score_valid", "cycle_id", "valid_through"),
    )

    cycle_id: Mapped[int] = mapped_column(ForeignKey("appraisal_cycle.id", ondelete="CASCADE"), primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), primary_key=True)
    theory: Mapped[float | None] = mapped_column(Float)
    practice: Mapped[float | None] = mapped_column(Float)
    observation: Mapped[float | None] = mapped_column(Float)
    computed_total: Mapped[float | None] = mapped_column(Float)
    completion: Mapped[float | None] = mapped_column(Float)
    assigned: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    overdue: Mapped[int] = mapped_column(Integer, default=0)
    #: the site-local day the row was computed for
    computed_on: Mapped[dt.date] = mapped_column(Date)
    #: the last day the row stays right: the earliest due date of a pending activity (the day after
    #: it, that activity is overdue and scores 0); None: nothing pending, right until a write
    valid_through: Mapped[dt.date | None] = mapped_column(Date)


#: ``LiveDepartment.department_key`` of the employees without a department (ids start at 1)
NO_DEPARTMENT = 0


class LiveDepartment(db.Model):
    """The read model of the department comparison of an OPEN cycle: per department, the sums and
    counts that ``reports.department_breakdown`` shows (averages are ``sum / n`` over the non-null
    values, as SQL AVG), kept in the writing transaction whenever a live row or the organisation
    changes (app/appraisal/live_departments.py). Department names are joined at read time.
    A department without any employee counted in the cycle has no row.
    """

    __tablename__ = "appraisal_live_department"

    cycle_id: Mapped[int] = mapped_column(ForeignKey("appraisal_cycle.id", ondelete="CASCADE"), primary_key=True)
    #: the department id, or ``NO_DEPARTMENT`` (0) for employees without one: a primary key column
    #: cannot be NULL, and no foreign key so that the sentinel can be stored
    department_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: employees counted (the rows the overview lists for this department)
    employees: Mapped[int] = mapped_column(Integer, default=0)
    #: Σ and number of non-null values of each averaged column
    theory_sum: Mapped[float | None] = mapped_column(Float)
    theory_n: Mapped[int] = mapped_column(Integer, default=0)
    practice_sum: Mapped[float | None] = mapped_column(Float)
    practice_n: Mapped[int] = mapped_column(Integer, default=0)
    observation_sum: Mapped[float | None] = mapped_column(Float)
    observation_n: Mapped[int] = mapped_column(Integer, default=0)
    total_sum: Mapped[float | None] = mapped_column(Float)
    total_n: Mapped[int] = mapped_column(Integer, default=0)
    completion_sum: Mapped[float | None] = mapped_column(Float)
    completion_n: Mapped[int] = mapped_column(Integer, default=0)
    #: Σ overdue activities
    overdue: Mapped[int] = mapped_column(Integer, default=0)
    #: employees per band (the cycle's bands applied to each live total)
    band_excellent: Mapped[int] = mapped_column(Integer, default=0)
    band_good: Mapped[int] = mapped_column(Integer, default=0)
    band_pass: Mapped[int] = mapped_column(Integer, default=0)
    band_fail: Mapped[int] = mapped_column(Integer, default=0)


class ApiToken(db.Model):
    """A bearer token for the HR read API. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "appraisal_api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    #: hex SHA-256 of the whole token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the first characters of the token, so HR can tell tokens apart (not enough to use one)
    prefix: Mapped[str] = mapped_column(String(16))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    #: the last day (site calendar) the token works; None = until revoked
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    #: when set, the API answers for this department only
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))

    created_by: Mapped[Employee | None] = relationship(foreign_keys=[created_by_id])
    department: Mapped[Department | None] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None
