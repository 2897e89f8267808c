"""How a label as written is read: its exact key, its content words, the rubriques it may mean.

Two readings, the first that answers wins:

- the exact key (`label_key`): `fold_words` of the label without hints in brackets ("(si connu)",
  "(jj/mm/aaaa)"), a trailing "*", bullets and numbering ("3.", "a)", "II -", "•"). It is looked
  up in form.yaml's table of labels and synonyms.
- its meaning (`label_words`, `LabelIndex`): the label reduced to its content words (stop words
  dropped, accents and case folded, plural and feminine endings stemmed, known abbreviations
  spelled out, "39 75" as one word), compared order-free with the content words of every
  wording of every rubrique. A written label means the rubrique whose wording it covers best,
  an abbreviation matching the word it begins, with at most one or two words the rubrique never
  uses. So "Obj. demande usager", "Nom agent 3975", "Agente déclarante" or "Date de l'appel
  téléphonique" need no synonym of their own.

Pseudo-fields: `call_datetime` (combined date and time), `cat:<category>` (one check box of the
category written as its own line, e.g. "Erreur de transfert d'appel : X") and `other` (a line
that is no rubrique of the fiche, such as a phone number: it ends the rubrique above it).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from parsers.fold import fold, fold_words

#: Pseudo-field of lines that are not rubriques of the fiche but end the one above.
OTHER = "other"

_HINT = re.compile(r"\([^)]*\)|\*")
_BULLET = re.compile(r"^[\s\-*•·–—>▪◦►➢o]+\s+|^[-*•·–—▪◦►➢]+")
_NUMBERING = re.compile(
    r"^(?!39\s*[-./]?\s*75(?!\d))"  # "39-75 Agent" is no "39." numbering
    # "13 heures" is a time, not a 13th rubrique
    r"(?:\d{1,2}(?:\.\d{1,2})*\s*[.)°\-–]\s*|\d{1,2}\s+(?!(?:h|hr?s?|heures?|min)\b\W*(?:\d|$))(?=\D)"
    r"|(?:[ivx]{1,4}|[a-h])\s*[.)\-–]\s+)",
    re.IGNORECASE,
)
_3975 = re.compile(r"(?<!\d)39\s*[-./]?\s*75(?!\d)")
_TOKEN = re.compile(r"[a-z0-9]+")

#: Words that carry no meaning of their own in a label (compared folded). "Si connu",
#: "jj/mm/aaaa" and the like are hints, not meaning.
STOP_WORDS = frozenset(
    {
        "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou", "par",
        "pour", "sur", "un", "une", "vers", "lequel", "laquelle", "auquel", "aurait", "ete",
        "etre", "si", "connu", "connue", "connus", "jj", "mm", "aa", "aaaa", "hh", "facultatif",
        "optionnel", "obligatoire", "svp", "cas", "echeant", "eventuellement",
        # Qualifiers that refine a label without changing what it asks: "Heure approximative",
        # "Date exacte", "Suite éventuelle", "Courriel professionnel" (stemmed forms too).
        "exact", "exacte", "precis", "precise", "approximatif", "approximative", "eventuel",
        "eventuelle", "complet", "complete", "bref", "breve", "succinct", "succincte",
        "professionnel", "professionnelle",
    }
)
#: Abbreviations agents write, spelled out (after folding; plural "s" is stemmed afterwards).
#: One that begins several words is left to match them all: "comm." is "commentaire" or
#: "communiquée" ("Info comm."), the rest of the label decides.
ABBREVIATIONS = {
    "tel": "telephone",
    "tph": "telephone",
    "obj": "objet",
    "nb": "nombre",
    "nbre": "nombre",
    "n": "numero",
    "no": "numero",
    "num": "numero",
    "info": "information",
    "infos": "information",
    "dysf": "dysfonctionnement",
    "dysfct": "dysfonctionnement",
    "desc": "description",
    "pb": "probleme",
    "hr": "heure",
    "hre": "heure",
    "coord": "coordonnee",
    "svc": "service",
    "serv": "service",
    "tc": "teleconseiller",
}
#: Feminine endings to their masculine form, tried after the plural "s"/"x" is dropped.
_FEMININE = (
    ("trice", "teur"),
    ("euse", "eur"),
    ("ere", "er"),
    ("ee", "e"),
    ("ive", "if"),
    ("elle", "el"),
    ("enne", "en"),
    ("nte", "nt"),
)


def without_hints(text: str) -> str:
    """The text without the hints written in brackets ("(si connu)", "(hh:mm)") or a "*"."""
    return _HINT.sub(" ", text)


def strip_decorations(label: str) -> str:
    """The label without bullets and numbering in front ("•", "3.", "a)", "II -")."""
    text = _BULLET.sub("", label.strip())
    return _NUMBERING.sub("", text, count=1)


def label_key(label: str) -> str:
    """The folded key of a label as written: hints in brackets, bullets and numbering dropped."""
    text = strip_decorations(label)
    return fold_words(without_hints(text)) or fold_words(text)


def stem(word: str) -> str:
    """A word without its plural and feminine endings: "déclarantes" and "déclarant" meet."""
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    for end, masculine in _FEMININE:
        if word.endswith(end) and len(word) > len(end) + 2:
            return word[: -len(end)] + masculine
    return word


def _words(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for token in _TOKEN.findall(_3975.sub(" 3975 ", text)):
        if token in STOP_WORDS:
            continue
        word = stem(ABBREVIATIONS.get(token, token))
        if (len(word) > 1 or word.isdigit()) and word not in STOP_WORDS:
            out.append(word)
    return tuple(out)


class LabelWords(NamedTuple):
    """The content words of a label, and those of its hints in brackets (these may confirm a
    meaning, "Appel (date)", but an unknown hint never counts against it)."""

    core: tuple[str, ...]
    hints: tuple[str, ...]


@functools.lru_cache(maxsize=16384)
def label_words(label: str) -> LabelWords:
    text = fold(strip_decorations(label)).replace("*", " ")
    hints = " ".join(re.findall(r"\(([^)]*)\)", text))
    return LabelWords(_words(re.sub(r"\([^)]*\)", " ", text)), _words(hints))


@dataclass(frozen=True)
class LabelMatch:
    """The rubriques a written label may stand for, most likely first, each with its score
    (1 for a wording of form.yaml). `ambiguous`: the value and the rest of the fiche decide
    (form.yaml's `ambiguous` wordings, or two rubriques the label fits equally well)."""

    candidates: tuple[tuple[str, float], ...]
    ambiguous: bool = False

    @property
    def field(self) -> str:
        return self.candidates[0][0]

    @property
    def score(self) -> float:
        return self.candidates[0][1]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f for f, _ in self.candidates)


def _weight(written: str, known: str) -> float:
    """How well a written word stands for a word of a wording: the same, an abbreviation of it
    ("obj" for "objet"), or the word extended ("detaillee" for "detail")."""
    if written == known:
        return 1.0
    if len(written) >= 3 and known.startswith(written):
        return 0.9
    if len(known) >= 5 and written.startswith(known):
        return 0.8
    return 0.0


#: Words a label may hold that its rubrique never uses, by the number of words it does use:
#: "Date de l'appel téléphonique" (2 and 1) is a label, "Le service m'a répondu" (1 and 1) is not.
def _allowed_extra(explained: int) -> int:
    return 0 if explained <= 1 else 1 if explained <= 3 else 2


MIN_SCORE = 0.6
#: Two rubriques whose scores are this close are both candidates: the fiche decides.
TIE = 0.02


class LabelIndex:
    """The content words of every wording of every rubrique, for matching labels by meaning."""

    def __init__(self, wordings: Iterable[tuple[str, str]]) -> None:
        self._wordings: dict[str, list[tuple[str, ...]]] = {}
        for field, text in wordings:
            words = tuple(dict.fromkeys(label_words(text).core))
            if words and words not in self._wordings.setdefault(field, []):
                self._wordings[field].append(words)
        # Every word of a rubrique, and every beginning of it (abbreviations), to its rubriques.
        self._exact: dict[str, set[str]] = {}
        self._begins: dict[str, set[str]] = {}
        for field, lists in self._wordings.items():
            for word in {w for words in lists for w in words}:
                self._exact.setdefault(word, set()).add(field)
                for n in range(3, len(word) + 1):
                    self._begins.setdefault(word[:n], set()).add(field)
        self._fields_of_word: dict[str, frozenset[str]] = {}

    def fields_of(self, word: str) -> frozenset[str]:
        """The rubriques one of whose words `word` is, begins or extends."""
        found = self._fields_of_word.get(word)
        if found is None:
            fields = set(self._begins.get(word, ())) | self._exact.get(word, set())
            for n in range(5, len(word)):
                fields |= self._exact.get(word[:n], set())
            found = self._fields_of_word[word] = frozenset(fields)
        return found

    def knows(self, word: str) -> bool:
        return bool(self.fields_of(word))

    def _recall(self, field: str, written: tuple[str, ...]) -> float:
        """The share of the best-covered wording of `field` that the written words carry."""
        best = 0.0
        for words in self._wordings[field]:
            got = sum(max((_weight(w, k) for w in written), default=0.0) for k in words)
            best = max(best, got / len(words))
        return best

    def covers(self, field: str, words: LabelWords) -> bool:
        """Whether the label carries every word of one wording of `field` (e.g. "Téléphone")."""
        return field in self._wordings and self._recall(field, words.core) >= 0.9

    def candidates(self, words: LabelWords) -> list[tuple[str, float]]:
        """Rubriques the label may mean, best first, with their scores."""
        core = words.core
        if not core:
            return []
        # A word written twice ("Service / mairie déclarant Mairie du 15e") explains nothing more.
        per_word = [
            self.fields_of(w) if w not in core[:n] else frozenset() for n, w in enumerate(core)
        ]
        if sum(1 for fields in per_word if not fields) > 2:
            return []  # more words than any rubrique tolerates: a sentence
        found: list[tuple[str, float]] = []
        for field in set().union(*per_word):
            explained = sum(1 for fields in per_word if field in fields)
            extra = [w for w, fields in zip(core, per_word, strict=True) if field not in fields]
            # A number the rubrique does not use ("Heure de l'appel 14" before ":30") is a value.
            if len(extra) > _allowed_extra(explained) or any(c.isdigit() for c in "".join(extra)):
                continue
            recall = self._recall(field, core + words.hints)
            # One word must be a whole wording ("Suites"): "Objet", "Info" or "Motif" alone
            # are too common at the start of a sentence.
            if recall < (0.9 if explained == 1 else 0.5):
                continue
            precision = explained / len(core)
            # At most 0.99: a wording of form.yaml, matched as written, ranks first.
            score = min(0.99, round(2 * recall * precision / (recall + precision), 3))
            if score >= MIN_SCORE:
                found.append((field, score))
        order = list(self._wordings)
        found.sort(key=lambda c: (-c[1], order.index(c[0])))
        return found


_MAX_WORDS = 16  # with its numbering, hint and colon


class LabelReader:
    """Every way form.yaml lets a label be read, in order: its ambiguous wordings, the exact
    table of labels and synonyms, the lines that are no rubrique, then the meaning. Answers are
    cached by label text: the same labels come back in every fiche."""

    def __init__(
        self,
        exact: dict[str, str],
        shared: dict[frozenset[str], tuple[str, ...]],
        index: LabelIndex,
        rubriques: frozenset[str],
    ) -> None:
        self._exact, self._shared, self._index, self._rubriques = exact, shared, index, rubriques
        self._cache: dict[str, LabelMatch | None] = {}

    def knows(self, word: str) -> bool:
        """Whether a content word belongs to some rubrique's wordings (a fast filter)."""
        return self._index.knows(word)

    def match(self, label: str, words: LabelWords | None = None) -> LabelMatch | None:
        """The rubriques `label` may stand for; `words`, when the caller has them, are its
        `label_words`."""
        cache = self._cache
        if label in cache:
            return cache[label]
        if len(cache) > 50_000:  # a stream of unique lines: start afresh
            cache.clear()
        # A label is short: "II - Nom et prénom du téléconseiller 39 75 (si connu) :" has 13
        # words.
        short = 0 < len(label) <= 90 and len(label.split()) <= _MAX_WORDS
        found = cache[label] = self._match(label, words) if short else None
        return found

    def _abbreviated_shared(self, core: tuple[str, ...]) -> tuple[str, ...] | None:
        """The ambiguous wording a label abbreviates word for word ("Comm." for
        "Commentaire"), if exactly one."""
        if not core or all(len(w) < 4 for w in core):
            return None
        found = [
            fields for key, fields in self._shared.items()
            if len(key) == len(set(core))
            and all(any(k.startswith(w) and (len(w) >= 4 or k == w) for k in key) for w in core)
        ]
        return found[0] if len(found) == 1 else None

    def _match(self, label: str, words: LabelWords | None) -> LabelMatch | None:
        words = words or label_words(label)
        # Declared first: "Service" is a synonym of the declaring service, but the fiche decides.
        shared = self._shared.get(frozenset(words.core)) or self._abbreviated_shared(words.core)
        if shared:
            return LabelMatch(tuple((f, round(1 - n / 10, 1)) for n, f in enumerate(shared)), True)
        key = label_key(label)
        exact = self._exact.get(key) if key else None
        if exact:
            return LabelMatch(((exact, 1.0),))
        index = self._index
        # "Tél. de l'agent" is a phone number, not a name.
        core = words.core
        others = [OTHER in index.fields_of(w) for w in core]
        if (
            len(core) <= 4  # "Téléphone en panne à l'accueil ce jour-là" is a sentence
            # It names what it is, first or for half its words: "Usager réorienté par
            # téléphone" is a value.
            and (others[:1] == [True] or 2 * sum(others) >= len(core))
            and not any(c.isdigit() for w in core for c in w)
            and index.covers(OTHER, words)
        ):
            return LabelMatch(((OTHER, 1.0),))
        found = index.candidates(words)
        if not found:
            return None
        # A tie with a check-box line or "other" is no choice for the fiche to make.
        rubriques = [f for f, _ in found[:2] if f in self._rubriques]
        tied = len(rubriques) == 2 and found[1][1] >= found[0][1] - TIE
        return LabelMatch(tuple(found), ambiguous=tied)

