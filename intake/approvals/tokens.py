"""Approval tokens: proof that a reply answers the request we sent to that approver.

A From header is easy to forge, so a decision only counts when the reply carries back a token
that only this installation can make: an HMAC over (ticket, approver, round) keyed by a secret.
The token travels in the request's Message-ID (returned in In-Reply-To/References) and in its
Reply-To plus-address (returned in To).

The « fiche incomplète » answer carries a token the same way, made for the address it was
sent to and for round 0 (approval rounds count from 1): only that reporter, answering it, may
complete the fiche.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from intake.errors import ConfigError

SECRET_ENV = "INTAKE_SECRET"
TOKEN_LENGTH = 20  # hex digits: 80 bits


@dataclass(frozen=True)
class Token:
    ticket_id: int
    round: int
    value: str

    @property
    def tag(self) -> str:
        """The form carried in headers: `a<ticket>r<round>t<token>`."""
        return f"a{self.ticket_id}r{self.round}t{self.value}"


#: The round of a fiche not yet complete: its token lets its reporter complete it.
COMPLETION_ROUND = 0

TAG_RE = re.compile(rf"\ba(\d{{1,12}})r(\d{{1,4}})t([0-9a-f]{{{TOKEN_LENGTH}}})\b")


def make_token(secret: bytes, ticket_id: int, approver: str, round_: int) -> Token:
    message = f"{ticket_id}\x00{approver.strip().lower()}\x00{round_}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).hexdigest()[:TOKEN_LENGTH]
    return Token(ticket_id, round_, digest)


def verify(secret: bytes, token: Token, approver: str) -> bool:
    """True when `token` was made for this approver (so not copied by another address)."""
    expected = make_token(secret, token.ticket_id, approver, token.round)
    return hmac.compare_digest(expected.value, token.value)


def find_tokens(*header_values: str) -> list[Token]:
    """Every token tag found in the given headers (In-Reply-To, References, To, Cc...)."""
    found: dict[str, Token] = {}
    for value in header_values:
        for m in TAG_RE.finditer(value.lower()):
            token = Token(int(m[1]), int(m[2]), m[3])
            found[token.tag] = token
    return list(found.values())


def load_secret(database: Path) -> bytes:
    """$INTAKE_SECRET, else a key file made once beside the database (readable by us only)."""
    value = os.environ.get(SECRET_ENV)
    if value:
        if len(value) < 16:
            raise ConfigError(f"{SECRET_ENV} is too short: use at least 16 random characters")
        return value.encode()
    key_file = database.with_name(database.name + ".key")
    try:
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            # Written aside then linked into place: a reader never sees a half-written key.
            tmp = key_file.with_name(f"{key_file.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
            try:
                os.link(tmp, key_file)
            except FileExistsError:
                pass  # another process made it first: use theirs
            finally:
                tmp.unlink()
        return key_file.read_text().strip().encode()
    except OSError as exc:
        raise ConfigError(
            f"no {SECRET_ENV} and cannot use {key_file} ({exc.strerror}): set {SECRET_ENV}"
        ) from exc
