"""The application's errors, and every error a user or the environment can cause.

The libraries raise their own (`parsers.errors`, `rules.errors`); `USER_ERRORS` gathers them
with the application's, for the places that report such a mistake instead of failing.
"""

from parsers.errors import ParserConfigError
from rules.errors import RulesConfigError


class IntakeError(Exception):
    """Base class: the message says what went wrong and what to do next."""


class ConfigError(IntakeError):
    """A configuration file is missing, unreadable or invalid."""


class SourceError(IntakeError):
    """The mailbox cannot be read (login refused, server down, folder missing)."""


class SendError(IntakeError):
    """An email could not be handed over; `permanent` says whether retrying can help."""

    def __init__(self, message: str, *, permanent: bool, unreachable: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        #: The server could not be reached at all: no use trying the next mails now.
        self.unreachable = unreachable


#: Every error whose message tells a user what to fix: the CLI prints it (exit status 2), a
#: check or a scheduled job reports it and goes on.
USER_ERRORS: tuple[type[Exception], ...] = (IntakeError, ParserConfigError, RulesConfigError)
