"""Signals the people layer sends, so higher layers can react without being imported here.

``employee_created`` is sent (with ``employee=``) inside the creating transaction, after flush,
for accounts made by the admin pages, the CLI and bulk import alike: the training layer uses it
to create a new hire's onboarding plan in the same transaction.
"""

from blinker import Namespace

_signals = Namespace()

employee_created = _signals.signal("employee-created")
