"""Replies to our emails: the ticket reference in the subject, the decision in the answer.

The answer is what the supervisor just wrote (parsers.quotes), read with the wordings of
decisions.yaml (parsers.wordings). A decision is only ever taken when nothing in the answer
speaks against it: see the rules at the top of decisions.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.model import Decision
from parsers.own import OwnText
from parsers.quotes import new_text
from parsers.wordings import Match, Wordings, words

#: Words before an approval in which a negation makes it a refusal ("je ne peux pas la
#: valider"), and words after it where "pas" does ("je valide pas").
NEGATION_BEFORE = 5
NEGATION_AFTER = 2
#: Words before a refusal in which a negation makes it a doubt ("je ne refuse pas").
REFUSAL_NEGATED_BEFORE = 3
_AFTER = frozenset({"pas", "point", "not"})
_SENTENCES = re.compile(r"[^.!?;:\n]+[.!?;:\n]*")


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


@dataclass(frozen=True)
class Reading:
    """What a reply says, and why."""

    decision: Decision | None
    #: The answer as written, up to the closing: the reason of a refusal.
    comment: str | None
    #: All the text the supervisor wrote (quotes, signature removed).
    new_text: str
    #: The words that decided; with no decision, the words that left a doubt.
    words: tuple[str, ...]
    #: An absence notice written by a mail server: it never decides.
    automatic: bool = False


@dataclass
class _Tally:
    approvals: list[str]
    refusals: list[str]
    #: What keeps an approval from counting (negation, reservation, doubt, question...).
    against_approval: list[str]
    #: What keeps any decision from counting (a doubtful decision, our own instructions).
    undecided: list[str]
    absence: list[str]


def _span(tokens: list[str], start: int, end: int) -> str:
    return " ".join(tokens[start:end])


def _sentence(tokens: list[str], question: bool, wordings: Wordings, tally: _Tally) -> None:
    matches = wordings.matches(tokens)
    negations = [m.start for m in matches if m.kind == "negations"]
    doubts = [_span(tokens, m.start, m.end) for m in matches if m.kind in ("doubt", "conditions")]
    if question:
        doubts.append("?")
    approvals: list[str] = []
    refusals: list[str] = []
    first = next((m for m in matches if m.start == 0), None)
    if tokens and tokens[0] in wordings.reject_first and (first is None or first.end == 1):
        refusals.append(tokens[0])
        negations = [n for n in negations if n != 0]
    for m in matches:
        if m.kind == "absence":
            tally.absence.append(_span(tokens, m.start, m.end))
        elif m.kind == "instructions":
            tally.undecided.append(_span(tokens, m.start, m.end))
        elif m.kind == "approve":
            negated = _negation_near(m, negations, tokens)
            if negated is not None:
                refusals.append(_span(tokens, *negated))
            else:
                approvals.append(_span(tokens, m.start, m.end))
        elif m.kind == "reject":
            before = [n for n in negations if m.start - REFUSAL_NEGATED_BEFORE <= n < m.start]
            if before and tokens[m.start] not in wordings.negation_words:
                doubts.append(_span(tokens, min(before), m.end))
            else:
                refusals.append(_span(tokens, m.start, m.end))
        elif m.kind in ("negations", "reservations"):
            tally.against_approval.append(_span(tokens, m.start, m.end))
    if doubts and (approvals or refusals):
        tally.undecided += doubts
    tally.against_approval += doubts
    tally.approvals += approvals
    tally.refusals += refusals


def _negation_near(m: Match, negations: list[int], tokens: list[str]) -> tuple[int, int] | None:
    """The words of the approval `m` with its negation, or None when it is not negated."""
    before = [n for n in negations if m.start - NEGATION_BEFORE <= n < m.start]
    if before:
        return min(before), m.end
    after = [n for n in negations if m.end <= n < m.end + NEGATION_AFTER and tokens[n] in _AFTER]
    return (m.start, after[0] + 1) if after else None


def judge(answer: str, wordings: Wordings) -> tuple[Decision | None, tuple[str, ...], bool]:
    """(decision, the words behind it, whether it is an absence notice) of an answer."""
    tally = _Tally([], [], [], [], [])
    for piece in _SENTENCES.findall(answer):
        tokens = words(piece)
        if tokens:
            _sentence(tokens, "?" in piece, wordings, tally)
    if "?" in answer and "?" not in tally.against_approval:
        tally.against_approval.append("?")  # a question anywhere, even with no words before it
    if tally.absence:
        return None, tuple(tally.absence), True
    if tally.undecided:
        return None, tuple(tally.undecided), False
    if tally.refusals:
        return "reject", tuple(tally.refusals), False
    if tally.approvals and not tally.against_approval:
        return "approve", tuple(tally.approvals), False
    return None, tuple(tally.against_approval), False


def read_reply(text: str, wordings: Wordings, own: OwnText | None = None) -> Reading:
    """What the body of a reply says. `own`: the words of the mail it answers, when known."""
    fresh = new_text(text, own)
    kept: list[str] = []
    for line in fresh.split("\n"):
        if wordings.ends_answer(line):
            break
        kept.append(line)
    answer = "\n".join(kept).strip()
    decision, why, automatic = judge(answer, wordings)
    return Reading(decision, answer or None, fresh, why, automatic)
