"""The errors the parsers raise for a mistake a user can fix."""


class ParserConfigError(Exception):
    """A file that configures the parser (form.yaml, decisions.yaml) is missing, unreadable or
    invalid; the message names the file, the place in it and the problem."""
