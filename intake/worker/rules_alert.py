"""Tell the admins, once, that an edit of the rules file was refused (see rules/reload.py)."""

from __future__ import annotations

import logging

from intake.errors import USER_ERRORS
from intake.mails import rules_refused
from intake.runtime import Runtime
from rules.reload import Refused

log = logging.getLogger(__name__)


def report_refused(rt: Runtime, refused: Refused) -> None:
    """Queue a mail to the admins with the `rules check` output, and record the event."""
    # The addresses come from the rules in force: the refused file cannot be trusted.
    admins = list(rt.rules.rules.admins) or [rt.rules.rules.queue]
    problems = refused.problems.splitlines()
    try:
        mail = rt.mails.make(
            rules_refused.TEMPLATE,
            to=admins,
            context=rules_refused.context(
                str(refused.path), refused.version, rt.rules.version, problems
            ),
            ref=None,
            ticket_id=None,
            message_row=None,
            auto_submitted="auto-generated",
        )
    except USER_ERRORS as exc:  # a broken template must not stop the worker either
        log.error("cannot tell the admins that the rules were refused: %s", exc)
        return
    with rt.store.transaction():
        rt.store.enqueue(mail)
        rt.store.add_event(
            at=rt.now_iso(),
            actor="rules",
            kind="rules_refused",
            path=str(refused.path),
            version=refused.version,
            kept_version=rt.rules.version,
            problems=problems,
            to=admins,
        )
