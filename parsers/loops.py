"""Mail that must never get an answer: auto-replies, bounces, lists, our own mail coming back."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from parsers.context import ParseContext
from parsers.fold import fold
from parsers.mime import Mail, header, parse_address

IgnoreReason = Literal["auto_reply", "bounce", "mailing_list", "own_mail", "empty"]

#: Our own loop-guard header, set on every email the system sends.
LOOP_HEADER = "X-Intake-3975"

_PREFIX = r"^(?:\s*(?:re|tr|fw|fwd|aw|wg|rv)\s*(?:\[\d+\])?\s*:\s*)*"
_AUTO_SUBJECT = re.compile(
    _PREFIX
    + r"\s*(?:reponse automatique|reponse auto\b|absence du bureau|absente? du bureau"
    r"|out of (?:the )?office|automatic reply|auto[\s-]?reply|autoreply|auto[\s-]?response"
    r"|message d'absence|absence\s*:|absente?\s*:|absence$|je suis absente?\b|en conges\b"
    r"|vacation reply|abwesenheit|automatische antwort|respuesta automatica)"
)
_BOUNCE_SUBJECT = re.compile(
    _PREFIX
    + r"\s*(?:non remis|undeliverable|undelivered mail|delivery status notification"
    r"|mail delivery (?:failed|failure|system)|returned mail|delivery failure"
    r"|echec de (?:la )?remise|message non distribue|notification d'etat de (?:la )?distribution"
    r"|failure notice|remise differee|delayed mail)"
)
_DAEMONS = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|noreply-dsn|bounces?)([+@.-]|$)")


def auto_reply_subject(subject: str) -> bool:
    return bool(_AUTO_SUBJECT.match(fold(subject)))


def is_own_address(address: str | None, own: Iterable[str]) -> bool:
    """Ours, with or without a tag: `signalements-3975+anything@paris.fr` is the approval
    address of some request, or someone pretending to be us."""
    local, _, domain = (address or "").lower().partition("@")
    ours = {tuple(a.lower().partition("@")[::2]) for a in own}
    return bool(domain) and (local.split("+")[0], domain) in ours


def detect_loop(mail: Mail, ctx: ParseContext) -> IgnoreReason | None:
    """Why the message must be ignored, or None when it may be read."""
    msg = mail.msg
    subject = fold(mail.subject)
    if msg.get(LOOP_HEADER) is not None or is_own_address(mail.from_addr, ctx.own_addresses):
        return "own_mail"
    local = mail.from_addr.split("@")[0] if mail.from_addr else fold(mail.from_name)
    if (
        mail.content_type == "multipart/report"
        or "delivery-status" in (msg.get("Content-Type") or "").lower()
        or _DAEMONS.match(local)
        or _BOUNCE_SUBJECT.match(subject)
    ):
        return "bounce"
    auto = fold(header(msg, "Auto-Submitted")).split(";")[0].strip()
    if auto and auto != "no":
        return "auto_reply"
    precedence = fold(header(msg, "Precedence"))
    if precedence in ("auto_reply", "auto-reply"):
        return "auto_reply"
    if precedence in ("bulk", "junk", "list"):
        return "mailing_list"
    if any(msg.get(h) is not None for h in ("X-Autoreply", "X-Autorespond", "X-Autoresponder")):
        return "auto_reply"
    if fold(header(msg, "X-Auto-Response-Suppress")) and auto_reply_subject(mail.subject):
        return "auto_reply"
    if auto_reply_subject(mail.subject):
        return "auto_reply"
    if msg.get("List-Id") is not None or msg.get("List-Unsubscribe") is not None:
        return "mailing_list"
    return_path = header(msg, "Return-Path")
    if return_path and parse_address(return_path)[1] == "" and "<>" in return_path.replace(" ", ""):
        return "auto_reply"
    has_content = bool(mail.plain or mail.html or mail.attachments)
    if not mail.from_addr and not mail.subject and not has_content:
        return "empty"
    return None
