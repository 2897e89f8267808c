"""The text of the mails we sent, to recognise it wherever a reply quotes it.

A reply answers one of our mails. Whatever marker a mail client puts before the quote (or
none), a line made of our own words in our own order is quoted text: it can never be the
supervisor's answer. Mail clients re-wrap quoted lines, so lines are compared as runs of
words, not as lines: a line is ours when each three words in a row of it follow each other
in one of our mails.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsers.html import html_to_text
from parsers.mime import read_mail
from parsers.wordings import words

#: Words in a row that must follow each other in our mail; a shorter line is never "ours"
#: alone (a supervisor's "Bonjour," or "Validé" may well be a line of our mail too).
RUN = 3


@dataclass(frozen=True)
class OwnText:
    runs: frozenset[tuple[str, ...]]
    #: Each line of our mails as words: a short one ("Bonjour,") counts next to a quote only.
    lines: frozenset[tuple[str, ...]]

    @classmethod
    def of(cls, texts: list[str]) -> OwnText:
        runs: set[tuple[str, ...]] = set()
        lines: set[tuple[str, ...]] = set()
        for text in texts:
            stream = words(text)
            runs.update(tuple(stream[i : i + RUN]) for i in range(len(stream) - RUN + 1))
            lines.update(tuple(words(line)) for line in text.splitlines())
        lines.discard(())
        return cls(frozenset(runs), frozenset(lines))

    @classmethod
    def of_mails(cls, raws: list[bytes]) -> OwnText:
        """From the bytes of the mails as sent: their subject, text and HTML alternative."""
        texts: list[str] = []
        for raw in raws:
            mail = read_mail(raw)
            texts.append(mail.subject)
            texts += mail.plain
            texts += [html_to_text(h) for h in mail.html]
        return cls.of(texts)

    def holds(self, line: str) -> bool:
        """True when `line` (its `>` marks aside) is made of our words in our order."""
        stream = words(line)
        if len(stream) < RUN:
            return False
        return all(tuple(stream[i : i + RUN]) in self.runs for i in range(len(stream) - RUN + 1))

    def has_line(self, line: str) -> bool:
        """True when `line` is, word for word, a whole line of our mails."""
        return tuple(words(line)) in self.lines
