"""The errors the rules raise for a mistake a user can fix."""


class RulesConfigError(Exception):
    """The rules file is missing, unreadable or invalid; the message has one
    `file:line:column: message` line per mistake."""
