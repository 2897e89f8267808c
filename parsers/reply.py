"""Replies to our emails: the ticket reference in the subject, the decision in the first words."""

from __future__ import annotations

import re

from parsers.fold import fold
from parsers.model import Decision
from parsers.quotes import new_text


def find_reference(subject: str, prefix: str) -> str | None:
    """`3975-2026-00042` from a subject such as `RE: [3975-2026-00042] Validation requise`."""
    if not subject or not prefix:
        return None
    pattern = re.compile(
        rf"(?<![\w-]){re.escape(prefix)}\s?-\s?(\d{{4}})\s?-\s?(\d{{1,6}})(?![\w-])", re.I
    )
    m = pattern.search(subject)
    if not m:
        return None
    return f"{prefix}-{m[1]}-{m[2].zfill(5)}"


_GREETING = re.compile(
    r"^(bonjour|bonsoir|salut|hello|hi|cher|chere|madame|monsieur|mesdames|messieurs|coucou)\b"
    r"[^.!?]{0,40}[,!.]?$"
)
_CLOSING = re.compile(
    r"^(cordialement|bien cordialement|tres cordialement|bien a (vous|toi)|bonne journee"
    r"|bonne soiree|sinceres salutations|salutations|best regards|regards|kind regards|a bientot"
    r"|merci d'avance)\b.{0,30}$"
)

_NEGATED = re.compile(
    r"\b(?:ne|n')\s*(?:le\s+|la\s+|les\s+|l'|peux\s+|peut\s+|puis\s+|vais\s+|suis\s+)?"
    r"(?:valide|approuve|accepte|confirme|donne)\w*\s+pas\b"
    r"|\bpas\s+(?:valide\w*|approuve\w*|accepte\w*|d'accord|ok|bon pour accord|favorable)"
    r"|\bnon\s+(?:valide\w*|approuve\w*|accepte\w*)"
    r"|\bdesaccord\b|\bdefavorable\b|\bpas\s+de\s+validation\b"
)
_REJECT = re.compile(
    r"\b(refus\w*|rejet\w*|rejett\w*|non|decline\w*|invalide\w*|no|annule\w*)\b"
)
_APPROVE = re.compile(
    r"\b(approuv\w*|valide|validee|valides|validees|valider|validons|validez|ok|okay|oui"
    r"|d'accord|daccord|accord|accorde|accordee|bon pour accord|accepte\w*|favorable|yes"
    r"|vu et valide|parfait)\b"
)


def _meaningful_lines(text: str) -> list[str]:
    lines = []
    for line in text.split("\n"):
        folded = fold(line).strip()
        if not folded:
            continue
        if _CLOSING.match(folded):
            break
        if _GREETING.match(folded):
            continue
        lines.append(folded)
    return lines


def _decide_line(line: str) -> Decision | None | bool:
    """Decision of one line; False when the line holds no decision word at all."""
    if _NEGATED.search(line):
        return "reject"
    approve = _APPROVE.search(line)
    reject = _REJECT.search(line)
    if not approve and not reject:
        return False
    first = min((m for m in (approve, reject) if m), key=lambda m: m.start())
    sentence_end = re.search(r"[.!?\n]", line[first.end() :])
    sentence = line[: first.end() + (sentence_end.end() if sentence_end else len(line))]
    if sentence.rstrip().endswith("?"):
        return None
    if approve and reject and first is approve and reject.start() < len(sentence):
        return None  # "ok ou non", "validé, non..." : ask again
    return "approve" if first is approve else "reject"


def decide(text: str) -> tuple[Decision | None, str | None]:
    """(decision, comment) from the body of a reply; quotes and signatures are ignored."""
    fresh = new_text(text)
    lines = _meaningful_lines(fresh)
    decision: Decision | None = None
    for line in lines[:2]:
        found = _decide_line(line)
        if found is False:
            continue
        decision = "approve" if found == "approve" else "reject" if found == "reject" else None
        break
    comment_lines: list[str] = []
    for line in fresh.split("\n"):
        if _CLOSING.match(fold(line).strip()):
            break
        comment_lines.append(line)
    comment = "\n".join(comment_lines).strip() or None
    return decision, comment
