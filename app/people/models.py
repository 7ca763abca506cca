"""Organisation model: Department → Team → Employee."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Role(StrEnum):
    TRAINEE = "trainee"
    SUPERVISOR = "supervisor"
    HR = "hr"
    ADMIN = "admin"


class Department(db.Model):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    teams: Mapped[list[Team]] = relationship(back_populates="department", order_by="Team.name")

    def __repr__(self) -> str:
        return f"<Department {self.name}>"


class Team(db.Model):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    #: the supervisor who leads the team; a supervisor may lead several teams
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", use_alter=True, name="fk_team_leader_id_employee"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    department: Mapped[Department] = relationship(back_populates="teams")
    leader: Mapped[Employee | None] = relationship(foreign_keys=[leader_id])
    members: Mapped[list[Employee]] = relationship(
        back_populates="team", foreign_keys="Employee.team_id", order_by="Employee.employee_no"
    )

    __table_args__ = (db.UniqueConstraint("department_id", "name", name="uq_team_department_id_name"),)

    def __repr__(self) -> str:
        return f"<Team {self.name}>"


class Employee(UserMixin, db.Model):
    __tablename__ = "employee"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 工号: the login name, unique across the company
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    position: Mapped[str] = mapped_column(String(64), default="")
    hire_date: Mapped[dt.date | None] = mapped_column(Date)
    role: Mapped[str] = mapped_column(String(16), default=Role.TRAINEE.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    #: set for accounts created by an admin: the first login must choose a new password
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    #: bumped on logout-everywhere and password change; the login cookie carries it, so older
    #: cookies stop working at once (see app/auth/sessions.py)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    department: Mapped[Department | None] = relationship()
    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def has_role(self, *roles: Role | str) -> bool:
        return self.role in {str(r) for r in roles}

    def __repr__(self) -> str:
        return f"<Employee {self.employee_no}>"
