"""One raw email to a parse result: loops first, then replies, then fiches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from parsers.attachments import read_attachments
from parsers.attachments.guard import no_fiche_in_message
from parsers.context import ParseContext
from parsers.fields import collect, looks_like_fiche, score
from parsers.form import FormDefinition
from parsers.forward import split_forwards
from parsers.html import html_to_text, parse_html, table_grids
from parsers.loops import detect_loop
from parsers.mime import Mail, header, read_mail
from parsers.model import (
    FicheResult,
    FieldError,
    IgnoredResult,
    InvalidResult,
    ReplyResult,
    Source,
)
from parsers.pairs import Pairs
from parsers.reply import find_reference, read_reply
from parsers.rows import Record, header_records, row_pairs
from parsers.text import extract_pairs
from parsers.validate import NO_FICHE, Outcome, build
from parsers.verdict import verdict

Result = FicheResult | InvalidResult | IgnoredResult | ReplyResult

UNREADABLE = (
    "Ce courriel n'a pas pu être lu (format du message endommagé). Renvoyez la fiche de "
    "signalement dans le corps d'un nouveau message, ou en pièce jointe Word, Excel ou LibreOffice."
)


@dataclass
class Candidate:
    source: Source
    records: list[Record]
    author_name: str | None = None
    author_email: str | None = None


def reference_date(mail: Mail, received_at: dt.datetime | None) -> dt.date:
    """The email's date in Paris: received_at, else the Date header, else now."""
    when = received_at or mail.date or dt.datetime.now(dt.UTC)
    if when.tzinfo is not None:
        try:
            from zoneinfo import ZoneInfo

            when = when.astimezone(ZoneInfo("Europe/Paris"))
        except Exception:  # noqa: BLE001 - no tz database: keep the header's own offset
            pass
    return when.date()


#: Text of one body read for a fiche: a fiche and a long forwarded thread fit many times.
MAX_TEXT_CHARS = 500_000


def _best_segment(text: str, form: FormDefinition) -> tuple[Pairs, str | None, str | None]:
    best: tuple[Pairs, str | None, str | None] = ([], None, None)
    best_score = -1
    for segment in split_forwards(text[:MAX_TEXT_CHARS]):
        pairs = extract_pairs(segment.text, form)
        value = score(collect(pairs, form)) if looks_like_fiche(pairs) else 0
        if value >= best_score and (value > 0 or best_score < 0):
            best, best_score = (pairs, segment.author_name, segment.author_email), value
    return best


def _text_candidate(text: str, form: FormDefinition, source: Source = "body") -> Candidate | None:
    pairs, name, addr = _best_segment(text, form)
    return Candidate(source, [Record(pairs)], name, addr) if looks_like_fiche(pairs) else None


def _body_candidates(mail: Mail, form: FormDefinition) -> list[Candidate]:
    plain = [_text_candidate(t, form, mail.origin or "body") for t in mail.plain]
    found = [c for c in plain if c]
    for html in mail.html:
        tree = parse_html(html)  # parsed once for the three readings below
        grids = table_grids(tree)
        records = next((r for r in (header_records(g, form) for g in grids) if r), [])
        _, name, addr = _best_segment(html_to_text(tree), form)
        if len(records) > 1:
            found.append(Candidate(mail.origin or "html", records, name, addr))
            continue
        text = html_to_text(tree, drop_tables=True)
        pairs = [p for g in grids for p in row_pairs(g, form)] + _best_segment(text, form)[0]
        if looks_like_fiche(pairs):
            found.append(Candidate(mail.origin or "html", [Record(pairs)], name, addr))
    return found


def _candidates(
    mail: Mail, form: FormDefinition, depth: int = 0
) -> tuple[list[Candidate], list[FieldError], list[FieldError]]:
    """Every place a fiche may be, the attachments that could not be read, and notes on the
    files read without a fiche (worth telling only when no fiche is found at all)."""
    found = _body_candidates(mail, form)
    attached = read_attachments(mail.attachments, form)
    found += [c for c in (_text_candidate(t, form) for t in attached.texts) if c]
    found += [Candidate(source, records) for source, records in attached.fiches]
    problems, notes = attached.problems, attached.notes
    if depth < 3:
        # Forwarded messages: attached as message/rfc822 or .eml, or as Outlook .msg files.
        for inner in mail.inner + attached.mails:
            cands, inner_problems, inner_notes = _candidates(inner, form, depth + 1)
            problems += inner_problems
            notes += inner_notes
            if not (cands or inner_problems or inner_notes):
                name = inner.filename or inner.subject or "sans objet"
                notes.append(FieldError(field="", message=str(no_fiche_in_message(name))))
            for cand in cands:
                cand.author_name = cand.author_name or inner.from_name or None
                cand.author_email = cand.author_email or inner.from_addr or None
                found.append(cand)
    return found, problems, notes


def _evaluate(cand: Candidate, mail: Mail, ctx: ParseContext, ref: dt.date) -> list[Outcome]:
    return [
        build(
            collect(record.pairs, ctx.form, ctx.directory),
            directory=ctx.directory,
            ref=ref,
            source=cand.source,
            sender_name=cand.author_name or mail.from_name or None,
            sender_email=cand.author_email or mail.from_addr or None,
            form=ctx.form,
        )
        for record in cand.records
    ]


def _reply(mail: Mail, ref: str, ctx: ParseContext) -> ReplyResult | IgnoredResult:
    text = "\n".join(mail.plain) if any(t.strip() for t in mail.plain) else ""
    if not text:
        text = "\n".join(html_to_text(h, drop_quotes=True) for h in mail.html)
    reading = read_reply(text, ctx.wordings, ctx.sent)
    if reading.automatic:  # an absence notice without the headers that say so
        return IgnoredResult(reason="auto_reply")
    return ReplyResult(
        ref=ref,
        decision=reading.decision,
        comment=reading.comment,
        new_text=reading.new_text or None,
        decided_by=list(reading.words),
    )


def classify_mail(mail: Mail, ctx: ParseContext, received_at: dt.datetime | None) -> Result:
    reason = detect_loop(mail, ctx)
    if reason is not None:
        return IgnoredResult(reason=reason)
    ref = find_reference(mail.subject, ctx.reference_prefix)
    if ref is None:
        for name in ("In-Reply-To", "References"):
            ref = ref or find_reference(header(mail.msg, name), ctx.reference_prefix)
    if ref is not None:
        return _reply(mail, ref, ctx)
    when = reference_date(mail, received_at)
    candidates, problems, notes = _candidates(mail, ctx.form)
    scored: list[tuple[tuple[int, int, int, int], Candidate, list[Outcome]]] = []
    for order, cand in enumerate(candidates):
        outcomes = _evaluate(cand, mail, ctx, when)
        valid = sum(1 for o in outcomes if o.fiche is not None)
        total = sum(score(collect(r.pairs, ctx.form)) for r in cand.records)
        scored.append(((int(valid == len(outcomes)), valid, total, -order), cand, outcomes))
    if not scored:
        if problems or notes:  # the agent attached files: say what became of each
            return InvalidResult(errors=problems + notes)
        message = UNREADABLE if mail.defects and not (mail.plain or mail.html) else NO_FICHE
        return InvalidResult(errors=[FieldError(field="", message=message)])
    _, cand, outcomes = max(scored, key=lambda s: s[0])
    return verdict(cand.records, outcomes, problems)


def classify(
    raw: bytes, ctx: ParseContext, *, received_at: dt.datetime | None = None
) -> Result:
    """Classifies one raw email. Pure: no database, no network; never raises on bad input."""
    if not raw or not raw.strip():
        return IgnoredResult(reason="empty")
    try:
        return classify_mail(read_mail(raw), ctx, received_at)
    except Exception:  # noqa: BLE001 - a broken email is an invalid fiche, never a crash
        return InvalidResult(errors=[FieldError(field="", message=UNREADABLE)])
