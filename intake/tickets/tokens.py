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
import re
from dataclasses import dataclass

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
