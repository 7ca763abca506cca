"""Load every drill file under a content root into a :class:`DrillSet`, never raising.

``flask content check`` gets :attr:`DrillSet.problems`; sync and stats read the documents. The
folders and their formats are documented in content/standards/README.md ("Drills").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.content.documents import ContentSet, Problem

from .common.policy import read_policy
from .common.spec_common import Cite, DocBase, Reader, check_cites
from .complaint.rules import rule_clauses
from .complaint.spec import ComplaintDoc, parse_complaint
from .language.spec import BannedDoc, CommonBanned, PromptDoc, parse_common, parse_prompt
from .observation.spec import ChecklistDoc, parse_checklist
from .scenario.spec import ScenarioDoc, parse_scenario
from .scenario.spec_checks import check_longest_best

SCENARIOS_DIR = "scenarios"
COMPLAINTS_DIR = "complaint-exercises"
PROMPTS_DIR = "language-prompts"
CHECKLISTS_DIR = "checklists"
COMMON_BANNED_FILE = "_banned.yml"


@dataclass
class DrillSet:
    scenarios: list[ScenarioDoc] = field(default_factory=list)
    complaints: list[ComplaintDoc] = field(default_factory=list)
    prompts: list[PromptDoc] = field(default_factory=list)
    checklists: list[ChecklistDoc] = field(default_factory=list)
    #: banned phrases of ``language-prompts/_banned.yml``, applied to every prompt
    common_banned: list[BannedDoc] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def citations(self) -> list[str]:
        """Every clause id the drill content cites (the complaint rules' clauses included when
        there is at least one exercise), for coverage."""
        ids = [c.clause_id for doc in self._docs() for c in doc.cites]
        ids += [c.clause_id for banned in self.common_banned for c in banned.cites]
        if self.complaints:
            ids += sorted(rule_clauses())
        return ids

    def _docs(self) -> list[DocBase]:
        return [*self.scenarios, *self.complaints, *self.prompts, *self.checklists]


def load_drills(content: ContentSet) -> DrillSet:
    reader = Reader(content.root)
    drills = DrillSet()
    common: list[CommonBanned] = []
    for folder, parse, target, kind in (
        (SCENARIOS_DIR, parse_scenario, drills.scenarios, "scenario"),
        (COMPLAINTS_DIR, parse_complaint, drills.complaints, "complaint"),
        (PROMPTS_DIR, parse_prompt, drills.prompts, "language"),
        (CHECKLISTS_DIR, parse_checklist, drills.checklists, "observation"),
    ):
        items, shared = reader.files(folder)
        for path in items:
            source = reader.load(path)
            if source is not None and (doc := parse(reader, source)) is not None:
                doc.policy = read_policy(reader.fields(source), kind)
                target.append(doc)
        for path in shared:
            if folder == PROMPTS_DIR and path.name == COMMON_BANNED_FILE:
                source = reader.load(path)
                if source is not None:
                    common.append(parse_common(reader, source))
            else:
                reader.report(reader.display(path), 1, f"unknown shared file {path.name!r}: "
                              f"only {PROMPTS_DIR}/{COMMON_BANNED_FILE} is read")
    drills.common_banned = [b for c in common for b in c.banned]
    if drills.scenarios:
        check_longest_best(reader, drills.scenarios)
    known = content.clause_index()
    check_cites([*drills._docs(), *common], known, reader)
    if drills.complaints:
        first = drills.complaints[0]
        for clause_id in sorted(rule_clauses()):
            if clause_id not in known:
                reader.report(first.path, first.line, f"the complaint rules cite clause {clause_id!r}, "
                              "which no lesson defines")
    drills.problems = reader.problems
    return drills


__all__ = ["Cite", "DrillSet", "load_drills"]
