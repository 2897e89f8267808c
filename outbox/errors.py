"""The outbox's errors: a template or setting it cannot work with, a mail it cannot hand over."""


class OutboxError(Exception):
    """Base class: the message says what went wrong and what to do next."""


class OutboxConfigError(OutboxError):
    """The templates, the outbox URL or the OAuth 2 token command cannot be used."""


class SendError(OutboxError):
    """An email could not be handed over; `permanent` says whether retrying can help."""

    def __init__(self, message: str, *, permanent: bool, unreachable: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        #: The server could not be reached at all: no use trying the next mails now.
        self.unreachable = unreachable
