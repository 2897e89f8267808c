"""From (field, value, label) pairs, whatever their source, to one raw fiche: field -> text as
written, the label each field was read under, and a warning for each label that could mean two
rubriques and was read as one of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from parsers.category import box_lines_text, box_mark
from parsers.directory import Directory
from parsers.form import FormDefinition, default_form
from parsers.labels import OTHER
from parsers.model import Category, FieldError
from parsers.pairs import Pair
from parsers.plausible import fits
from parsers.values import clean_value, has_time, is_blank


@dataclass
class RawFiche:
    #: Field -> its text as written.
    values: dict[str, str] = field(default_factory=dict)
    #: Field -> the label it was read under, as written.
    read_from: dict[str, str] = field(default_factory=dict)
    #: Labels read one way of two (the agent is told, to correct a misreading).
    warnings: list[FieldError] = field(default_factory=list)

    def put(self, name: str, value: str, label: str) -> None:
        """Keeps the first non-blank value of a field; a combined date and time fills both."""
        names = [name]
        if name in ("call_datetime", "call_date"):
            names = ["call_date", "call_time"] if has_time(value) else ["call_date"]
        for target in names:
            old = self.values.get(target)
            if old is None or (is_blank(old) and not is_blank(value)):
                self.values[target] = value
                self.read_from[target] = label


@dataclass
class _Open:
    """A pair whose label may mean several rubriques, waiting for the rest of the fiche."""

    index: int
    pair: Pair
    value: str
    fields: tuple[str, ...]


def collect(
    pairs: Iterable[Pair], form: FormDefinition | None = None, directory: Directory | None = None
) -> RawFiche:
    """The first non-blank value of each field; combined date+time and check box lines split;
    ambiguous labels decided once the unambiguous ones are read (`directory`, when given, tells
    a declaring service from another name)."""
    form = form or default_form()
    pairs = list(pairs)
    raw = RawFiche()
    boxes: list[tuple[Category, str]] = []
    box_label = ""
    waiting: list[_Open] = []
    for index, pair in enumerate(pairs):
        value = clean_value(pair.value, keep_layout=pair.field == "category")
        if pair.field.startswith("cat:"):
            rubrique = _rubrique_of_box(pairs, index, value, form)
            if rubrique is None:
                boxes.append((pair.field[4:], value))  # type: ignore[arg-type] # form.yaml's
                box_label = box_label or pair.label
                continue
            pair = Pair(rubrique, pair.value, pair.label)
        found = form.match(pair.label) if pair.label else None
        if found and found.ambiguous and pair.field in found.fields:
            rubriques = tuple(f for f in found.fields if f != OTHER and not f.startswith("cat:"))
            if not is_blank(value):
                waiting.append(_Open(index, pair, value, rubriques))
            continue
        if pair.field != OTHER:
            raw.put(pair.field, value, pair.label)
    if waiting:
        _Decider(form, raw, pairs, directory).settle(waiting)
    written = raw.values.get("category")
    listed = box_lines_text(None if is_blank(written) else written, boxes, form) if boxes else None
    if listed is not None:
        raw.values["category"] = listed
        raw.read_from.setdefault("category", box_label)
    return raw


def _rubrique_of_box(
    pairs: list[Pair], index: int, value: str, form: FormDefinition
) -> str | None:
    """The rubrique a line read as a check box stands for when it is none: its label is also
    a rubrique's ("Information erronée" for "Information erronée communiquée") and the line
    holds text and no mark, or nothing and no other box stands beside it."""
    pair = pairs[index]
    found = form.match(pair.label)
    rubrique = next(
        (f for f in found.fields if f != OTHER and not f.startswith("cat:")), None
    ) if found else None
    if rubrique is None:
        return None
    mark = box_mark(value)
    if mark is None and not is_blank(value):
        return rubrique
    near = [pairs[i] for i in (index - 1, index + 1) if 0 <= i < len(pairs)]
    alone = not any(p.field.startswith("cat:") or p.field == "category" for p in near)
    return rubrique if alone and not value else None


class _Decider:
    """Which rubrique each ambiguous label stands for, in this order: the block it stands in
    (a label alone on its line just above, e.g. "Agent 39 75"), a required rubrique the fiche
    lacks, then the first rubrique not yet filled whose type the value fits."""

    def __init__(
        self, form: FormDefinition, raw: RawFiche, pairs: list[Pair], directory: Directory | None
    ) -> None:
        self.form, self.raw, self.pairs, self.directory = form, raw, pairs, directory

    def _filled(self, name: str) -> bool:
        return not is_blank(self.raw.values.get(name))

    def _fits(self, name: str, value: str) -> bool:
        kind = self.form.field(name).type
        return fits(kind, value, self.form, self.directory)

    def _heading(self, item: _Open, waiting: set[int]) -> Pair | None:
        """The nearest unambiguous pair above `item` when it has no value: a block's title."""
        for index in range(item.index - 1, -1, -1):
            pair = self.pairs[index]
            if index not in waiting:
                return pair if is_blank(clean_value(pair.value)) else None
        return None

    def settle(self, waiting: list[_Open]) -> None:
        left = list(waiting)
        indexes = {item.index for item in waiting}
        for item in list(left):
            heading = self._heading(item, indexes)
            if heading and heading.field in self._options(item):
                left.remove(item)
                self._take(item, heading.field, f"elle suit « {heading.label} »")
        for rubrique in self.form.required:
            name = rubrique.name
            if self._filled(name):
                continue
            takers = [item for item in left if name in self._options(item)]
            if takers:
                item = next((i for i in takers if self._fits(name, i.value)), takers[0])
                left.remove(item)
                self._take(item, name, f"la fiche n'a pas d'autre rubrique « {rubrique.label} »")
        for item in left:
            options = self._options(item)
            fitting = next((f for f in options if self._fits(f, item.value)), None)
            if fitting is None:
                continue  # "Date : 13/03/2026" after the date of the call: the fiche's own date
            passed = [f for f in item.fields[: item.fields.index(fitting)] if self._filled(f)]
            reason = (
                f"« {self.form.field(passed[0]).label} » est déjà remplie"
                if passed
                else "c'est sa lecture habituelle"
            )
            self._take(item, fitting, reason)

    def _options(self, item: _Open) -> list[str]:
        return [f for f in item.fields if not self._filled(f)]

    def _take(self, item: _Open, name: str, reason: str) -> None:
        self.raw.put(name, item.value, item.pair.label)
        if len(item.fields) < 2:
            return
        chosen = self.form.field(name).label
        other = next(self.form.field(f).label for f in item.fields if f != name)
        self.raw.warnings.append(FieldError(field=name, message=(
            f"Rubrique « {item.pair.label.rstrip(' :')} » lue comme « {chosen} » ({reason}). "
            f"Si c'était « {other} », renvoyez la fiche avec ce libellé."
        )))


def score(raw: RawFiche) -> int:
    """How much of a fiche was found: the number of fields with a value."""
    return sum(1 for v in raw.values.values() if not is_blank(v))


def looks_like_fiche(pairs: list[Pair]) -> bool:
    """At least two different fiche labels, one of them filled in."""
    fields = {
        p.field.split(":")[0] if p.field.startswith("cat:") else p.field
        for p in pairs
        if p.field != OTHER
    }
    return len(fields) >= 2 and any(not is_blank(p.value) for p in pairs if p.field != OTHER)
