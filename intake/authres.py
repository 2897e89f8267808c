"""Was a reply's sender authenticated by our own mail server? (RFC 8601 Authentication-Results)

Only the topmost header counts, and only when our server (its authserv-id) wrote it: anything
below it was written by whoever sent the message and proves nothing.
"""

from __future__ import annotations

import re

_METHOD = re.compile(r"\b(dmarc|dkim|spf)\s*=\s*(\w+)([^;]*)", re.I)
_DOMAIN = re.compile(r"\b(?:header\.d|header\.i|header\.from|smtp\.mailfrom)\s*=\s*\S*?([\w.-]+)\b")


def authenticated(topmost: str, authserv_id: str, sender: str) -> bool:
    """True when `topmost` is ours and shows a DMARC pass, or a DKIM/SPF pass aligned with the
    sender's domain (an SPF or DKIM pass for some other domain says nothing about From)."""
    if not topmost:
        return False
    server, _, results = topmost.partition(";")
    words = server.split()  # "mx.paris.fr" or "mx.paris.fr 1" (with a version)
    if not words or words[0].lower() != authserv_id.lower():
        return False
    sender_domain = sender.rpartition("@")[2].lower()
    for method, verdict, properties in _METHOD.findall(results):
        if verdict.lower() != "pass":
            continue
        if method.lower() == "dmarc":
            return True
        domain = _DOMAIN.search(properties)
        if domain and _aligned(domain.group(1).lower(), sender_domain):
            return True
    return False


def _aligned(domain: str, sender_domain: str) -> bool:
    return bool(sender_domain) and (domain == sender_domain or sender_domain.endswith("." + domain))
