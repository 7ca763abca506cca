"""Signals the results layer sends, so higher layers can react without being imported here.

``result_recorded`` is sent (with ``result=``) by :func:`app.results.services.record_result`
inside the writing transaction, after flush, once per new Result (not for a duplicate that
returned the existing row). Receivers write in the same transaction: flush, never commit. The
certificates layer issues a certificate the result completes; training closes a refresher; the
appraisal layer keeps the live scores of open cycles.
"""

from blinker import Namespace

_signals = Namespace()

result_recorded = _signals.signal("result-recorded")
