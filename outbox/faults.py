"""Named points where the reliability tests make the worker die, as a power cut would.

`INTAKE_CRASH_AT=after_commit:3` kills the process with SIGKILL the third time it reaches
`after_commit`. Unset (always, in production) each point costs one dictionary lookup. The
delivery has points of its own (mid_smtp, after_smtp), so the switch lives here, where both
the delivery and the worker's pipeline can reach it.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

CRASH_ENV = "INTAKE_CRASH_AT"
POINTS = (
    "after_fetch",  # a message read from the mailbox, not yet stored
    "after_store_raw",  # stored raw, not yet classified
    "mid_transaction",  # inside the commit of a ticket and its mails
    "after_commit",  # committed, not yet moved out of the inbox
    "mid_smtp",  # recipients given to the SMTP server, message not yet sent
    "after_smtp",  # accepted by the SMTP server, not yet recorded as sent
)
_hits: Counter[str] = Counter()


def crash_point(name: str) -> None:
    spec = os.environ.get(CRASH_ENV)
    if not spec:
        return
    point, _, count = spec.partition(":")
    if point != name:
        return
    _hits[name] += 1
    if _hits[name] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)
