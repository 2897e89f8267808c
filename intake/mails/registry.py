"""Every kind of mail the worker sends, in one list: a new kind is a module in intake/mails/
(its template name, its context function and a sample) and a line here; `intake doctor`
renders each template with its sample (samples.py)."""

from __future__ import annotations

from intake.mails import (
    acknowledgement,
    approval_request,
    comment,
    decision_notice,
    forwarding,
    invalid,
    reply_not_counted,
    rules_refused,
)
from intake.mails.kind import MailKind

KINDS: tuple[MailKind, ...] = (
    acknowledgement.KIND,
    *approval_request.KINDS,
    forwarding.KIND,
    *decision_notice.KINDS,
    invalid.KIND,
    comment.KIND,
    reply_not_counted.KIND,
    rules_refused.KIND,
)
