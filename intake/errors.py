"""One error hierarchy for everything a user or the environment can get wrong."""


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
