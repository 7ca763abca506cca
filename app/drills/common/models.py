"""The columns every drill catalog table has (scenario, complaint_exercise, language_prompt, checklist).

Like the lesson catalog, rows are never deleted: an item that left the content is ``retired``,
so runs, submissions and observations that point at it keep their meaning. Texts are rendered to
sanitised HTML at sync time and kept in ``spec`` (JSON), which is what pages and graders read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column


class CatalogColumns:
    """Columns every drill catalog table has."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    #: the rendered item (texts as sanitised HTML, answer keys, quoted clauses): see the *_payload builders
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_path: Mapped[str] = mapped_column(String(255), default="")
    #: sha256 of ``spec``; a changed hash means the item changed
    content_hash: Mapped[str] = mapped_column(String(64))
    #: order of the files in their folder, for lists
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    synced_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
