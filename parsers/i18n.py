"""Messages to admins in French, or in English when the locale asks for it (gettext).

The messages are written in French in the code: that is what the people who edit the
configuration at the City read, and what they get without any catalogue. The English
catalogue (`locale/en/LC_MESSAGES/intake-3975.po`, compiled to `.mo` beside it) is used when
$LANGUAGE, $LC_ALL, $LC_MESSAGES or $LANG, the first one set, names English (`en_US.UTF-8`,
`en`). parsers/ holds it because every other package imports parsers/, never the reverse.
"""

from __future__ import annotations

import functools
import gettext
import os
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
    return _catalogue(tuple(os.environ.get(name, "") for name in LOCALE_ENV)).gettext(message)


@functools.lru_cache(maxsize=8)
def _catalogue(locale: tuple[str, ...]) -> gettext.NullTranslations:
    # `locale` keys the cache only: gettext reads the same variables itself.
    return gettext.translation(DOMAIN, LOCALE_DIR, fallback=True)
