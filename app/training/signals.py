"""Signals the training layer sends, so higher layers can react without being imported here.

``assignments_changed`` is sent (with ``employee_ids=``, a sorted list) inside the writing
transaction, after flush, whenever assignments are created, cancelled or moved to another due
date: the appraisal layer recomputes those employees' live cycle scores in the same transaction.
"""

from blinker import Namespace

_signals = Namespace()

assignments_changed = _signals.signal("assignments-changed")
