"""Who wrote a reply: one From address, and (when asked) our mail server vouching for it.

A decision needs a From that every program reads the same way. Two From headers, two
addresses in one, a group, or a display name that is itself an address
(`chef@paris.fr <x@evil.example>`: Python's parser reads the first, mail servers and DMARC the
second) leave open who wrote the message, so none of them may decide.

With `require_authenticated_replies`, the topmost Authentication-Results header (RFC 8601)
must be our server's (its authserv-id) and show a pass for the From domain itself: DMARC with
`header.from` equal to it, or DKIM (`header.d`) or SPF (`smtp.mailfrom`) for that domain or a
parent of it. A pass for some other domain says nothing about From. Comments are set aside
before reading: servers copy text the sender chose into them ("domain of x@y designates...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from email.utils import getaddresses, parseaddr

_QUOTED = r'"(?:\\.|[^"\\])*"'
_PIECE = re.compile(rf"(?:{_QUOTED}|[^;\"])+")
_PAIR = re.compile(rf"([\w.\-/]+)\s*=\s*({_QUOTED}|[^\s;]+)")
#: The properties that name the domain a method's pass is for.
_DOMAIN_OF = {
    "dmarc": ("header.from",),
    "dkim": ("header.d", "header.i"),
    "spf": ("smtp.mailfrom",),
}


def author_problem(from_fields: Sequence[str]) -> str | None:
    """Why these From headers do not name one author beyond doubt (None when they do):
    `from_headers` (none or several), `several_addresses` (a list, a group, or no address),
    `address_as_name` (a display name that is an address other than the one in <>)."""
    if len(from_fields) != 1:
        return "from_headers"
    bare = re.sub(_QUOTED, '""', _without_comments(from_fields[0]))
    if re.search(r"[,;:]", re.sub(r"<[^>]*>", "", bare)):
        return "several_addresses"
    read = {a.lower() for _, a in getaddresses([from_fields[0]])}
    address = next(iter(read)) if len(read) == 1 else ""
    local, _, domain = address.partition("@")
    if local and domain and "@" not in domain and address == parseaddr(from_fields[0])[1].lower():
        return None
    disguised = "<" in bare and "@" in bare.partition("<")[0]
    return "address_as_name" if disguised else "several_addresses"


def authenticated(topmost: str, authserv_id: str, sender: str) -> bool:
    """True when `topmost` is our server's and shows a pass for the sender's domain: DMARC
    for that very domain, or DKIM/SPF for it or a parent domain."""
    pieces = _PIECE.findall(_without_comments(topmost))
    if not pieces:
        return False
    words = pieces[0].split()  # "mx.paris.fr" or "mx.paris.fr 1" (with a version)
    if not words or words[0].lower() != authserv_id.lower():
        return False
    sender_domain = sender.rpartition("@")[2].lower()
    if not sender_domain:
        return False
    return any(_vouches(piece, sender_domain) for piece in pieces[1:])


def _vouches(resinfo: str, sender_domain: str) -> bool:
    """One result (`dkim=pass header.d=paris.fr ...`) passing for `sender_domain`."""
    pairs = [(k.lower(), _unquote(v).lower()) for k, v in _PAIR.findall(resinfo)]
    if not pairs:
        return False
    method, verdict = pairs[0][0].partition("/")[0], pairs[0][1]
    if verdict != "pass" or method not in _DOMAIN_OF:
        return False
    named = dict(reversed(pairs[1:]))  # the first value of each property
    domains = [named[p].rpartition("@")[2] for p in _DOMAIN_OF[method] if p in named][:1]
    if not domains:
        return False
    if method == "dmarc":
        return domains[0] == sender_domain
    return _aligned(domains[0], sender_domain)


def _aligned(domain: str, sender_domain: str) -> bool:
    """`domain` is the sender's or a parent of it, and a real one (not a bare `fr`)."""
    return "." in domain and (
        domain == sender_domain or sender_domain.endswith("." + domain)
    )


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _without_comments(text: str) -> str:
    """`text` without its (comments), nested or not; quoted strings kept as they are."""
    out: list[str] = []
    depth, quoted, escaped = 0, False, False
    for char in text:
        if escaped:
            escaped = False
            if not depth:
                out.append(char)
        elif char == "\\":
            escaped = True
            if not depth:
                out.append(char)
        elif quoted:
            quoted = char != '"'
            out.append(char)
        elif char == "(":
            depth += 1
        elif depth:
            depth -= char == ")"
        elif char == '"':
            quoted = True
            out.append(char)
        else:
            out.append(char)
    return "".join(out)
