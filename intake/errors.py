"""One error hierarchy for everything a user or the environment can get wrong."""


class IntakeError(Exception):
    """Base class: the message says what went wrong and what to do next."""


class ConfigError(IntakeError):
    """A configuration file is missing, unreadable or invalid."""


class SourceError(IntakeError):
    """The mailbox cannot be read (login refused, server down, folder missing)."""
