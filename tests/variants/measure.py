"""Judging what the parser made of a fiche against what it means, and adding judgements up.

A field is `ok` when it equals the expected value after folding case and white space (the
golden files' rule), `wrong` when another value was read, `lost` when nothing was read, and
`spurious` when a value appears that the fiche does not hold. A valid fiche answered
`invalid` is a false rejection ("fiche incomplète"); a wrong value in an accepted fiche with no
warning on its field is a silent misread, the worst outcome.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from parsers.model import FICHE_FIELDS, FicheResult, InvalidResult

Result = Any  # one of the parser's results (FicheResult, InvalidResult, ...)


def norm(value: object) -> str | None:
    """Case and white space folded, curly apostrophes straightened, end punctuation dropped."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).replace("’", "'").casefold()
    return " ".join(text.split()).strip(" .;:,") or None


@dataclass
class Judgement:
    kind: str
    #: field -> ok | wrong | lost | spurious (fields neither written nor read are left out)
    fields: dict[str, str]
    got: dict[str, Any]
    #: Fields of an accepted fiche read wrong without a warning on them.
    silent: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return self.kind != "fiche"


def judge(result: Result, expected: dict[str, str | None]) -> Judgement:
    """What `result` (the parser's answer for one valid fiche) got right and wrong."""
    if isinstance(result, FicheResult):
        got: dict[str, Any] = result.fiches[0].model_dump(mode="json") if result.fiches else {}
        warned = {w.field for w in result.warnings}
        messages = [w.message for w in result.warnings]
        if len(result.fiches) > 1:
            messages.append(f"{len(result.fiches)} fiches lues au lieu d'une")
    elif isinstance(result, InvalidResult):
        got, warned = dict(result.partial), set()
        messages = [f"{e.field or '-'}: {e.message}" for e in result.errors]
    else:
        got, warned, messages = {}, set(), [f"{result.kind}"]
    fields: dict[str, str] = {}
    silent = []
    for name in FICHE_FIELDS:
        want, have = norm(expected.get(name)), norm(got.get(name))
        if want is None and have is None:
            continue
        if want == have:
            fields[name] = "ok"
        elif have is None:
            fields[name] = "lost"
        else:
            fields[name] = "wrong" if want is not None else "spurious"
            if result.kind == "fiche" and name not in warned:
                silent.append(name)
    return Judgement(result.kind, fields, got, silent, messages)


@dataclass
class Tally:
    """Counts over many judgements, by presentation, by field and by class of variation."""

    fiches: int = 0
    rejected: int = 0
    silent_fiches: int = 0
    silent_fields: int = 0
    fields: Counter[str] = field(default_factory=Counter)  # ok | wrong | lost | spurious
    by_presentation: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_field: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_class: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    rejected_by: Counter[str] = field(default_factory=Counter)

    def add(self, presentation: str, judgement: Judgement, classes: dict[str, list[str]]) -> None:
        """`classes` maps a field to the classes of variation of its label and value, and
        "*" to the classes of the whole fiche (layout, separator...)."""
        self.fiches += 1
        self.rejected += judgement.rejected
        self.rejected_by[presentation] += judgement.rejected
        self.silent_fiches += bool(judgement.silent)
        self.silent_fields += len(judgement.silent)
        for name, verdict in judgement.fields.items():
            self.fields[verdict] += 1
            self.by_presentation[presentation][verdict] += 1
            self.by_field[name][verdict] += 1
            for cls in classes.get(name, []) + classes.get("*", []):
                self.by_class[cls][verdict] += 1
        self.by_presentation[presentation]["fiches"] += 1

    @staticmethod
    def accuracy(counts: Counter[str]) -> float:
        """ok over the fields written or read (a spurious value counts against)."""
        total = sum(counts[k] for k in ("ok", "wrong", "lost", "spurious"))
        return counts["ok"] / total if total else 1.0

    @property
    def field_accuracy(self) -> float:
        return self.accuracy(self.fields)
