"""Shared fixtures: real mail servers (see tests/servers/ and /work/shared/design/mail-servers.md).

`tests/` is not a package: pytest puts it on sys.path, so helpers import as `servers`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from servers import Dovecot, MailUser, RecordingSMTP


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """One private Dovecot for the session (start ~40 ms, stop ~1.1 s); use `mailbox_user`
    for a mailbox of your own. Tests that restart or break the server start their own."""
    with Dovecot() as server:  # in its own /tmp folder: see the Dovecot docstring
        yield server


@pytest.fixture
def mailbox_user(dovecot: Dovecot) -> MailUser:
    """A fresh, empty account on the session Dovecot: no test sees another's mail."""
    return dovecot.add_user()


@pytest.fixture
def smtp_server() -> Iterator[RecordingSMTP]:
    """A recording SMTP server on loopback; `.refuse(addr)` -> 550, `.defer(n)` -> 451."""
    with RecordingSMTP() as server:
        yield server


@pytest.fixture(autouse=True)
def _french_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Admins read French unless their locale asks for English: every test starts from the
    default, whatever the locale of the machine running it."""
    monkeypatch.setenv("LANGUAGE", "fr")


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The English catalogue, for tests written against the English wording."""
    monkeypatch.setenv("LANGUAGE", "en")
