"""`decisions.yaml`: the wordings of a supervisor's answer (approve, refuse, doubt, absence...).

Loaded and checked like the form: a mistake names the file, the list and the wording. The
reply reader (parsers.reply) only ever sees the compiled `Wordings`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, model_validator

from parsers.fold import fold
from parsers.i18n import N_, _
from parsers.shipped import shipped
from parsers.yaml_file import yaml_loader

#: The wordings shipped with the code, beside form.yaml.
SHIPPED_WORDINGS = shipped("decisions.yaml")

#: The lists of wordings; when two wordings of the same length start at the same word, the
#: first kind here wins.
Kind = Literal[
    "absence",
    "instructions",
    "neutral",
    "reject",
    "approve",
    "doubt",
    "conditions",
    "reservations",
    "negations",
]
KINDS: tuple[Kind, ...] = get_args(Kind)

_WORD = re.compile(r"[a-z0-9]+'?")


def words(text: str) -> list[str]:
    """Folded words, an apostrophe kept on the word it ends ("n'", "d'"), so that "n'" (a
    negation) is never confused with the "n" of "n° 42"."""
    return _WORD.findall(fold(text))


def _phrase(text: str) -> tuple[str, ...]:
    """A wording as words; a "*" ending a word stays glued to it as a prefix mark."""
    folded = fold(text)
    if re.search(r"\*(?=[a-z0-9*])|(?<![a-z0-9'])\*", folded):
        raise ValueError(_("« {text} » : « * » ne peut que terminer un mot").format(text=text))
    return tuple(re.findall(r"[a-z0-9]+'?\*?", folded))


class WordingsFile(BaseModel):
    """The file as an admin writes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    approve: list[str]
    reject: list[str]
    reject_first: list[str] = []
    negations: list[str]
    neutral: list[str] = []
    doubt: list[str] = []
    conditions: list[str] = []
    reservations: list[str] = []
    absence: list[str] = []
    instructions: list[str] = []
    end_of_answer: list[str] = []

    @model_validator(mode="after")
    def _check(self) -> WordingsFile:
        seen: dict[tuple[str, ...], str] = {}
        for kind in (*KINDS, "end_of_answer"):
            for text in getattr(self, kind):
                phrase = _phrase(text)
                if not phrase:
                    message = _(
                        "{kind} : la formulation « {text} » n'a ni lettre ni chiffre"
                    )
                    raise ValueError(message.format(
                        kind=kind, text=text))
                if phrase in seen:
                    message = _(
                        "« {text} » figure deux fois (dans {first} et {second})"
                    )
                    raise ValueError(message.format(
                        text=text, first=seen[phrase], second=kind))
                seen[phrase] = kind
        for text in self.reject_first:
            if len(_phrase(text)) != 1:
                message = _(
                    "reject_first : « {text} » doit être un seul mot"
                )
                raise ValueError(message.format(text=text))
        return self


@dataclass(frozen=True)
class Match:
    kind: Kind
    start: int
    end: int


@dataclass(frozen=True, eq=False)
class Wordings:
    """The compiled wordings: phrases indexed by their first word."""

    #: first word (or prefix, for wildcards) -> [(words, kind)], longest first
    exact: dict[str, list[tuple[tuple[str, ...], Kind]]]
    prefixed: list[tuple[tuple[str, ...], Kind]]
    reject_first: frozenset[str]
    #: One-word negations: a refusal starting with one ("pas d'accord") is not negated by the
    #: "ne" before it ("je ne suis pas d'accord").
    negation_words: frozenset[str]
    end_of_answer: tuple[tuple[str, ...], ...]

    @classmethod
    def compile(cls, source: WordingsFile) -> Wordings:
        exact: dict[str, list[tuple[tuple[str, ...], Kind]]] = {}
        prefixed: list[tuple[tuple[str, ...], Kind]] = []
        for kind in KINDS:
            for text in getattr(source, kind):
                phrase = _phrase(text)
                if phrase[0].endswith("*"):
                    prefixed.append((phrase, kind))
                else:
                    exact.setdefault(phrase[0], []).append((phrase, kind))
        for entries in exact.values():
            entries.sort(key=lambda e: (-len(e[0]), KINDS.index(e[1])))
        return cls(
            exact=exact,
            prefixed=prefixed,
            reject_first=frozenset(_phrase(w)[0] for w in source.reject_first),
            negation_words=frozenset(
                p[0] for p in map(_phrase, source.negations) if len(p) == 1
            ),
            end_of_answer=tuple(_phrase(w) for w in source.end_of_answer),
        )

    def matches(self, tokens: list[str]) -> list[Match]:
        """The wordings found in `tokens`: the longest first, never two on the same word."""
        found: list[Match] = []
        for i, token in enumerate(tokens):
            for phrase, kind in self.exact.get(token, ()):
                if _fits(phrase, tokens, i):
                    found.append(Match(kind, i, i + len(phrase)))
            for phrase, kind in self.prefixed:
                if _fits(phrase, tokens, i):
                    found.append(Match(kind, i, i + len(phrase)))
        found.sort(key=lambda m: (m.start - m.end, KINDS.index(m.kind), m.start))
        taken: set[int] = set()
        kept: list[Match] = []
        for match in found:
            span = set(range(match.start, match.end))
            if not span & taken:
                taken |= span
                kept.append(match)
        return sorted(kept, key=lambda m: m.start)

    def ends_answer(self, line: str) -> bool:
        tokens = words(line)
        return any(tuple(tokens[: len(p)]) == p for p in self.end_of_answer)


def _fits(phrase: tuple[str, ...], tokens: list[str], at: int) -> bool:
    if at + len(phrase) > len(tokens):
        return False
    for want, got in zip(phrase, tokens[at:], strict=False):
        if want.endswith("*"):
            if not got.startswith(want[:-1]):
                return False
        elif want != got:
            return False
    return True


def _compiled(raw: object) -> Wordings:
    return Wordings.compile(WordingsFile.model_validate(raw))


#: Reads and checks a wordings file (cached by path and modification time, so an admin's edit
#: is read without a restart); ParserConfigError names the file and the problem.
load_wordings = yaml_loader(N_("les formulations des réponses"), _compiled)


@functools.cache
def default_wordings() -> Wordings:
    """The shipped wordings (config/decisions.yaml), read once."""
    return load_wordings(SHIPPED_WORDINGS)
