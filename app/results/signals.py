"""Signals the results layer sends, so higher layers can react without being imported here.

``result_recorded`` is sent (with ``result=``) when :func:`app.results.services.record_result`
writes a new Result, after flush and inside the caller's transaction (a repeated submission that
returns the existing Result sends nothing). The certificates layer uses it to issue a certificate
in the same transaction as the result that completes its rule.
"""

from blinker import Namespace

_signals = Namespace()

result_recorded = _signals.signal("result-recorded")
