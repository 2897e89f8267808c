"""What a reply to a ticket's mails does, decided from plain values: the ticket, the reply as
parsed, its envelope (From, tokens, Authentication-Results), the approval it may answer, the
key of the tokens. Nothing here reads the store or queues a mail: intake/tickets/replies.py
gathers these values, then records and sends what the decision says.

Only an approver named for the ticket's current round, replying with the token we made for
them, can decide; only the reporter of an incomplete fiche, replying with the token of our
« fiche incomplète » answer, can complete it. Either needs a From naming one address beyond
doubt (intake/tickets/reply_author.py). Anything else changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake.sources.envelope import MessageInfo
from intake.store.records import Approval, ApprovalStatus, Ticket, TicketStatus
from intake.tickets.reply_author import authenticated, author_problem
from intake.tickets.tokens import COMPLETION_ROUND, Token, find_tokens, verify
from parsers.model import ReplyResult


@dataclass(frozen=True)
class Comment:
    """Kept on the ticket as a comment (and relayed where the rule says)."""


@dataclass(frozen=True)
class Completion:
    """The reporter answers our « fiche incomplète » mail: read the answer as the fiche."""


@dataclass(frozen=True)
class CompletionRefused:
    reason: str
    #: Why the From headers name no single author (None when they do).
    problem: str | None
    #: The reporter is told, at their address, how to complete the fiche.
    explain: bool


@dataclass(frozen=True)
class DecisionRefused:
    reason: str
    #: Why the From headers name no single author, when that is the reason.
    problem: str | None
    #: The sender is told why their reply did not count.
    explain: bool


@dataclass(frozen=True)
class Unclear:
    """The approver's answer neither approves nor rejects."""

    approval: Approval
    #: They are asked what they decide (once per round).
    ask_again: bool


@dataclass(frozen=True)
class Decided:
    #: The approval this decision closes.
    approval: Approval
    decision: str
    reason: str | None
    #: The words of the answer that decided, kept in the audit trail.
    words: list[str]


Outcome = Comment | Completion | CompletionRefused | DecisionRefused | Unclear | Decided


def decide_reply(
    ticket: Ticket,
    result: ReplyResult,
    info: MessageInfo,
    *,
    secret: bytes,
    authserv: str | None,
    approval: Approval | None,
    known_colleague: bool,
) -> Outcome:
    """`approval`: the sender's approval of the ticket's current round, if any; `authserv`:
    the server whose Authentication-Results must vouch for the From (None: not required);
    `known_colleague`: the sender is someone of the ticket or the directory (only they are
    told why a reply did not count)."""
    if ticket.status == TicketStatus.INVALID:
        return _completion(ticket, info, secret, authserv)
    if ticket.status == TicketStatus.PENDING_APPROVAL and _tries_to_decide(info, ticket):
        return _decision(ticket, result, info, secret, authserv, approval, known_colleague)
    return Comment()


def ticket_tokens(info: MessageInfo, ticket: Ticket, *, completion: bool) -> list[Token]:
    """The reply's tokens for this ticket: those of its approval rounds, or (`completion`)
    that of our « fiche incomplète » answer."""
    return [
        t
        for t in find_tokens(info.threading)
        if t.ticket_id == ticket.id and (t.round == COMPLETION_ROUND) == completion
    ]


def _tries_to_decide(info: MessageInfo, ticket: Ticket) -> bool:
    """A reply that carries an approval token or comes from an approver. An agent answering
    "ok merci" to an acknowledgement is only commenting."""
    approver = info.sender in (ticket.approvers or [])
    return bool(ticket_tokens(info, ticket, completion=False) or approver)


def _completion(
    ticket: Ticket, info: MessageInfo, secret: bytes, authserv: str | None
) -> Completion | CompletionRefused:
    """Only its reporter, answering our « fiche incomplète » mail, may complete a fiche:
    anyone else would be sent the fiche back and could route it anywhere. Their reply changes
    nothing and is sent nothing; a reply that only claims the reporter's address gets them,
    at that address, how to do it."""
    why = _not_the_reporter(ticket, info, secret, authserv)
    if why is None:
        return Completion()
    explain = why in ("no_token", "unauthenticated") and info.sender == ticket.reporter_email
    return CompletionRefused(why, author_problem(info.from_fields), explain)


def _not_the_reporter(
    ticket: Ticket, info: MessageInfo, secret: bytes, authserv: str | None
) -> str | None:
    """Why this reply is not proven to come from the fiche's reporter (None when it is)."""
    if author_problem(info.from_fields):
        return "ambiguous_from"
    reporter = (ticket.reporter_email or "").lower()
    tokens = ticket_tokens(info, ticket, completion=True)
    if not (reporter and info.sender == reporter):
        return "token_other_address" if tokens else "not_the_reporter"
    if not any(verify(secret, t, reporter) for t in tokens):
        return "no_token"
    if authserv and not authenticated(info.auth_results, authserv, info.sender):
        return "unauthenticated"
    return None


def _decision(
    ticket: Ticket,
    result: ReplyResult,
    info: MessageInfo,
    secret: bytes,
    authserv: str | None,
    approval: Approval | None,
    known_colleague: bool,
) -> DecisionRefused | Unclear | Decided:
    if problem := author_problem(info.from_fields):
        # Who wrote it is in doubt: no decision, and nobody to explain it to.
        return DecisionRefused("ambiguous_from", problem, explain=False)
    tokens = ticket_tokens(info, ticket, completion=False)
    mine = [t for t in tokens if verify(secret, t, info.sender)]
    current = [t for t in mine if t.round == ticket.approval_round]
    if current and authserv and not authenticated(info.auth_results, authserv, info.sender):
        return DecisionRefused("unauthenticated", None, explain=True)
    if approval is None or approval.status != ApprovalStatus.OPEN or not current:
        why = _refusal_reason(ticket, tokens, mine, approval)
        return DecisionRefused(why, None, explain=known_colleague)
    if result.decision is None:
        return Unclear(approval, ask_again=not approval.clarification_at)
    return Decided(approval, result.decision, result.comment, result.decided_by)


def _refusal_reason(
    ticket: Ticket,
    tokens: list[Token],
    mine: list[Token],
    approval: Approval | None,
) -> str:
    """Why a reply could not decide, as a code the explanation template turns into French."""
    if approval is not None and approval.status == ApprovalStatus.DECIDED:
        return "already_decided"
    if mine and all(t.round < (ticket.approval_round or 0) for t in mine):
        return "stale_round"
    if tokens and not mine:
        return "token_other_address"
    return "no_token"
