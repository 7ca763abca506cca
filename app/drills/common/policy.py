"""A drill's pass mark and attempt rules: read from its content file, enforced by the services.

Every drill file may set three top-level keys (documented in content/standards/README.md)::

    pass_mark: 80            # 0-100: a result at or above it passed (Result.passed)
    max_attempts: 3          # attempts per employee at this item; 0 = no limit
    cooldown_minutes: 30     # wait after an attempt before the next one; 0 = none

Missing keys take the kind's default (:data:`DEFAULTS`). An observation's score is the share of
observed checklist items passed, so its pass mark is that share (in percent).

Attempts are counted from the Result table (one row per finished attempt, whatever the kind), so
the rule reads the same for every kind and costs one query. Only attempts in the employee's current
attempt window count (app/results/windows.py): a new assignment of the item or a supervisor's reset
gives a fresh set, so a refresher of a used-up drill can be taken. Feedback pages use
:attr:`AttemptState.reveal` to decide whether the answer key may be shown: only once the employee
has passed or has no attempt left, so a result page never hands over the key for the next try.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from app.content.fields import Fields
from app.extensions import db
from app.results.models import Result
from app.results.windows import counts_since_window
from app.timeutil import utcnow
from app.ui.formatting import localtime

from .errors import DrillError

POLICY_KEYS = ("pass_mark", "max_attempts", "cooldown_minutes")


@dataclass(frozen=True)
class Policy:
    pass_mark: int = 80
    #: None: no limit
    max_attempts: int | None = 3
    cooldown_minutes: int = 0

    def passed(self, score: float) -> bool:
        return score >= self.pass_mark

    def as_spec(self) -> dict:
        return asdict(self)


#: per kind key (the ActivityKind key the drill records its results under)
DEFAULTS: dict[str, Policy] = {
    "complaint": Policy(pass_mark=80, max_attempts=3, cooldown_minutes=30),
    "language": Policy(pass_mark=80, max_attempts=3, cooldown_minutes=30),
    "scenario": Policy(pass_mark=80, max_attempts=3, cooldown_minutes=0),
    "observation": Policy(pass_mark=80, max_attempts=None, cooldown_minutes=0),
}


def read_policy(fields: Fields, kind: str) -> Policy:
    """The file's policy keys over the kind's defaults; a wrong value is a located problem."""
    default = DEFAULTS[kind]
    pass_mark = fields.integer("pass_mark", default=default.pass_mark)
    if pass_mark is not None and not 0 <= pass_mark <= 100:
        fields.report("pass_mark", f"'pass_mark' must be between 0 and 100, not {pass_mark}")
        pass_mark = default.pass_mark
    attempts = fields.integer("max_attempts", default=default.max_attempts if default.max_attempts else 0)
    if attempts is not None and attempts < 0:
        fields.report("max_attempts", f"'max_attempts' must be 0 (no limit) or more, not {attempts}")
        attempts = default.max_attempts
    cooldown = fields.integer("cooldown_minutes", default=default.cooldown_minutes)
    if cooldown is not None and not 0 <= cooldown <= 7 * 24 * 60:
        fields.report("cooldown_minutes", f"'cooldown_minutes' must be between 0 and 10080 (a week), not {cooldown}")
        cooldown = default.cooldown_minutes
    return Policy(pass_mark=pass_mark, max_attempts=attempts or None, cooldown_minutes=cooldown or 0)


def policy_of(kind: str, spec: dict | None) -> Policy:
    """The policy stored in a catalog row's spec (the kind's defaults for rows synced before it)."""
    stored = (spec or {}).get("policy") or {}
    default = DEFAULTS[kind]
    return Policy(pass_mark=int(stored.get("pass_mark", default.pass_mark)),
                  max_attempts=stored.get("max_attempts", default.max_attempts) or None,
                  cooldown_minutes=int(stored.get("cooldown_minutes", default.cooldown_minutes) or 0))


@dataclass(frozen=True)
class AttemptState:
    policy: Policy
    used: int
    passed: bool
    last_at: dt.datetime | None
    now: dt.datetime

    @property
    def left(self) -> int | None:
        """Attempts left (None: no limit)."""
        if self.policy.max_attempts is None:
            return None
        return max(self.policy.max_attempts - self.used, 0)

    @property
    def next_at(self) -> dt.datetime | None:
        """When the cool-down after the last attempt ends (None: no wait)."""
        if self.last_at is None or not self.policy.cooldown_minutes:
            return None
        ends = self.last_at + dt.timedelta(minutes=self.policy.cooldown_minutes)
        return ends if ends > self.now else None

    @property
    def exhausted(self) -> bool:
        return self.left == 0

    @property
    def reveal(self) -> bool:
        """May the answer key be shown? Once passed, or when no attempt is left."""
        return self.passed or self.exhausted


def attempt_state(kind: str, employee_id: int, activity_id: str, spec: dict | None,
                  now: dt.datetime | None = None) -> AttemptState:
    """The employee's finished attempts at one item, in one query over Result."""
    in_window = counts_since_window(Result.finished_at, employee_id, kind, activity_id)
    row = db.session.execute(
        select(func.count().filter(in_window), func.max(Result.finished_at),
               func.max(case((Result.passed.is_(True), 1), else_=0)))
        .where(Result.employee_id == employee_id, Result.kind == kind, Result.activity_id == activity_id)).one()
    return AttemptState(policy=policy_of(kind, spec), used=int(row[0] or 0), passed=bool(row[2]),
                        last_at=row[1], now=now or utcnow())


def check_can_attempt(state: AttemptState) -> None:
    """Refuse a new attempt (a clear message saying when the next one is allowed, if ever)."""
    if state.exhausted:
        raise DrillError(_l("You have used all %(n)d attempts at this drill.", n=state.policy.max_attempts or 0))
    if state.next_at is not None:
        raise DrillError(_l("Take a break before the next attempt: you can try again from %(time)s "
                            "(%(minutes)d minutes after the last one).",
                            time=localtime(state.next_at), minutes=state.policy.cooldown_minutes))
