"""Signals the results layer sends, so higher layers keep their read models without being imported here.

``result_recorded`` is sent (with ``result=``) by :func:`app.results.services.record_result`
inside the writing transaction, after flush, once per new Result (not for a duplicate that
returned the existing row). Receivers write in the same transaction: flush, never commit.
"""

from blinker import Namespace

_signals = Namespace()

result_recorded = _signals.signal("result-recorded")
