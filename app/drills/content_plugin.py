"""The drills layer's hooks into ``flask content check/sync/stats``.

app/content does not load drill files (it knows nothing of drills); this plugin reads them from
the content root itself: ``check`` returns their problems, ``sync`` upserts the drill catalog,
``stats`` counts them and lists every clause they cite (for clause coverage).
"""

from __future__ import annotations

from app.content.documents import ContentSet, Problem
from app.content.plugins import ContentPlugin, StatsContribution, SyncReport

from .catalog_sync import drill_counts, sync_drills
from .drill_content import load_drills


def check(content: ContentSet) -> list[Problem]:
    return load_drills(content).problems


def sync(content: ContentSet, report: SyncReport) -> None:
    sync_drills(content, report)


def stats(content: ContentSet) -> StatsContribution:
    drills = load_drills(content)
    return StatsContribution(counts=drill_counts(drills), citations=sorted(set(drills.citations())))


plugin = ContentPlugin(name="drills", check=check, sync=sync, stats=stats)
