"""Messages to admins in French, or in English when the locale asks for it (gettext).

The messages are written in French in the code: that is what the people who edit the
configuration at the City read, and what they get without any catalogue. The English
catalogue (`locale/en/LC_MESSAGES/intake-3975.po`, compiled to `.mo` beside it) is used when
$LANGUAGE, $LC_ALL, $LC_MESSAGES or $LANG, the first one set, names English (`en_US.UTF-8`,
`en`); C, POSIX and any other language get the French. It lives in parsers/, which every
other package imports already, and imports nothing of the project itself.
"""

from __future__ import annotations

import functools
import gettext
import os
from itertools import takewhile
from pathlib import Path

DOMAIN = "intake-3975"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: Where gettext looks for the language, in its order.
LOCALE_ENV = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def N_(message: str) -> str:  # noqa: N802 - gettext's name, known to the extraction tools
    """Marks a message fixed at import time for the catalogue; `_()` translates it when shown."""
    return message


def _(message: str) -> str:
    """`message` (French) in the language of the locale; format it after translating."""
    return _catalogue(languages()).gettext(message)


def languages() -> tuple[str, ...]:
    """The languages the locale asks for before French, the language of the messages; none
    for C and POSIX (no preference), which Python's gettext would read as en_US."""
    for name in LOCALE_ENV:
        value = os.environ.get(name)
        if value:
            wanted = [item for item in value.split(":") if item]
            return tuple(takewhile(_not_french, wanted))
    return ()


def _not_french(item: str) -> bool:
    language = item.split(".")[0].split("@")[0]
    return language not in ("C", "POSIX") and not language.startswith("fr")


@functools.lru_cache(maxsize=8)
def _catalogue(wanted: tuple[str, ...]) -> gettext.NullTranslations:
    if not wanted:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=list(wanted), fallback=True)
