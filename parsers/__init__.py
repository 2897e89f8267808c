"""Classify one raw email: a fiche (or several), an invalid fiche, a reply, or mail to ignore."""

from parsers.classify import classify
from parsers.reply import find_reference
from parsers.service import resolve_service

__all__ = ["classify", "find_reference", "resolve_service"]
