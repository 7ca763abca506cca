"""A seventh activity kind that exists only in the tests: a certificate renewal.

It proves the ActivityKind registry's promise: everything a kind needs (its catalog table, its
ActivityKind class, its registration) lives in one package, and assigning it, recording its
Result, seeing it on the supervisor dashboard and counting it in a cycle score work without an
edit anywhere else. The catalog table sits on a metadata of its own, so the app's models (and the
migration drift test) never see it.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.results.kinds import ActivityKind, build_url


class FixtureBase(DeclarativeBase):
    pass


class RenewalItem(FixtureBase):
    __tablename__ = "fixture_renewal_item"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class RenewalKind(ActivityKind):
    key = "renewal"
    label = "Certificate renewal"
    component = "practice"
    catalog = RenewalItem
    position = 70

    def start_url(self, activity_id: str) -> str | None:
        return build_url("main.index", renewal=activity_id)
