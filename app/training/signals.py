"""Signals the training layer sends, so higher layers can react without being imported here.

* ``retest_passed`` — sent with ``employee_id=``, ``course_id=``, ``changeset_id=`` when an employee
  completes the refresher of a confirmed change set (its quiz passed, or its reading done); once
  per course containing a changed lesson. A certificate for that course stays valid.
* ``retest_missed`` — the same arguments, when the refresher's due date passed unfinished: the
  certificate needs renewal.
* ``assignments_changed`` — sent with ``employee_ids=`` (a sorted list) whenever assignments are
  created, cancelled or moved to another due date: the appraisal layer recomputes those employees'
  live cycle scores.

All are sent inside the caller's transaction (after flush); a receiver writes in it too.
"""

from blinker import Namespace

_signals = Namespace()

retest_passed = _signals.signal("retest-passed")
retest_missed = _signals.signal("retest-missed")
assignments_changed = _signals.signal("assignments-changed")
