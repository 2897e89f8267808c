"""The application's errors, and every error a user or the environment can cause.

The libraries raise their own (`parsers.errors`, `rules.errors`, `outbox.errors`);
`USER_ERRORS` gathers them with the application's, for the places that report such a mistake
instead of failing.
"""

from outbox.errors import OutboxError
from parsers.errors import ParserConfigError
from rules.errors import RulesConfigError


class IntakeError(Exception):
    """Base class: the message says what went wrong and what to do next."""


class ConfigError(IntakeError):
    """A configuration file is missing, unreadable or invalid."""


class SourceError(IntakeError):
    """The mailbox cannot be read (login refused, server down, folder missing)."""


#: Every error whose message tells a user what to fix: the CLI prints it (exit status 2), a
#: check or a scheduled job reports it and goes on.
USER_ERRORS: tuple[type[Exception], ...] = (
    IntakeError,
    ParserConfigError,
    RulesConfigError,
    OutboxError,
)
