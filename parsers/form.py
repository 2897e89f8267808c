"""`form.yaml`: the official fiche (labels, synonyms, types, required rubriques, categories).

The parser reads labels and category words from here, `intake form` prints the blank fiche
from here, and the mails show fields under the labels printed here: one definition for all.
"""

from __future__ import annotations

import functools
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from parsers.i18n import N_, _
from parsers.labels import OTHER, LabelIndex, LabelMatch, LabelReader, label_key, label_words
from parsers.model import FICHE_FIELDS, Category
from parsers.shipped import shipped
from parsers.yaml_file import yaml_loader

#: The form shipped with the code: used when no other is configured.
SHIPPED_FORM = shipped("form.yaml")

FieldType = Literal["text", "date", "time", "datetime", "category", "service", "email"]
#: Rubriques a ticket cannot exist without (see parsers.model.Fiche).
ALWAYS_REQUIRED = frozenset({"service", "call_date", "category", "description"})
#: Rubriques read from a fiche: the canonical fields (service_id is derived, not written)
#: plus a combined "Date et heure de l'appel".
READ_FIELDS = tuple(f for f in FICHE_FIELDS if f != "service_id") + ("call_datetime",)


class FormField(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    label: str = Field(min_length=1)
    type: FieldType = "text"
    required: bool = False
    printed: bool = True
    #: How to fill it in, printed on the blank fiche after the label.
    help: str | None = None
    #: The error the agent reads when a required rubrique is empty.
    missing: str | None = None
    synonyms: list[str] = []

    @model_validator(mode="after")
    def _printable(self) -> FormField:
        # The blank fiche prints "Label (help)": it must read back as this label.
        if self.help and (":" in self.help or len(f"{self.label} * ({self.help})") > 80):
            raise ValueError(_(
                "help : gardez-la courte (libellé et aide sous 80 caractères), sans deux-points"
            ))
        return self

    @property
    def missing_message(self) -> str:
        return self.missing or f"Rubrique « {self.label} » manquante : remplissez-la."


class CategoryOption(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Category
    label: str = Field(min_length=1)
    box_labels: list[str] = []
    synonyms: list[str] = []


class AmbiguousWording(BaseModel):
    """A wording that may stand for several rubriques, the usual one first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    wording: str = Field(min_length=1)
    rubriques: list[str] = Field(min_length=1)


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_attachment_mb: float = Field(default=10, gt=0)
    max_inflated_mb: float = Field(default=50, gt=0)

    @property
    def max_attachment_bytes(self) -> int:
        return int(self.max_attachment_mb * 1024 * 1024)

    @property
    def max_inflated_bytes(self) -> int:
        return int(self.max_inflated_mb * 1024 * 1024)


class FormDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = "Fiche de signalement"
    intro: str = ""
    limits: Limits = Limits()
    fields: list[FormField]
    categories: list[CategoryOption]
    ambiguous: list[AmbiguousWording] = []
    other_labels: list[str] = []

    _reader: LabelReader = PrivateAttr()

    @model_validator(mode="after")
    def _check(self) -> FormDefinition:
        names = [f.name for f in self.fields]
        unknown = sorted(set(names) - set(READ_FIELDS))
        if unknown:
            message = _(
                "rubrique(s) inconnue(s) {unknown} ; les rubriques sont {known}"
            )
            raise ValueError(message.format(
                unknown=", ".join(unknown), known=", ".join(READ_FIELDS)))
        absent = [n for n in READ_FIELDS if n not in names]
        if absent or len(set(names)) != len(names):
            message = _(
                "chacune des rubriques {known} doit figurer une fois et une seule"
            )
            raise ValueError(message.format(
                known=", ".join(READ_FIELDS)))
        optional = sorted(n for n in ALWAYS_REQUIRED if not self.field(n).required)
        if optional:
            raise ValueError(_(
                "{names} doivent rester obligatoires (required: true) : un ticket ne peut pas s'en "
                "passer"
            ).format(names=", ".join(optional)))
        values = [c.value for c in self.categories]
        if len(values) != len(set(values)) or set(values) != set(get_args(Category)):
            raise ValueError(_("categories doit donner chacun des choix {values} une fois").format(
                values=", ".join(get_args(Category))))
        table: dict[str, str] = {}
        entries = [(f.name, s) for f in self.fields for s in (f.label, *f.synonyms)]
        entries += [
            (f"cat:{c.value}", s) for c in self.categories for s in (c.label, *c.box_labels)
        ]
        entries += [(OTHER, s) for s in self.other_labels]
        index = LabelIndex(entries)
        # Canonical names read too: PDF form fields and CSV exports are often named so.
        entries += [(f.name, f.name) for f in self.fields]
        for name, label in entries:
            key = label_key(label)
            if not key:
                message = _(
                    "{name} : le libellé « {label} » n'a ni lettre ni chiffre"
                )
                raise ValueError(message.format(
                    name=name, label=label))
            if table.setdefault(key, name) != name:
                raise ValueError(_(
                    "« {label} » est un libellé de deux rubriques, {first} et {second} : gardez-le "
                    "dans une seule, ou mettez-le sous ambiguous"
                ).format(label=label, first=table[key], second=name))
        shared: dict[frozenset[str], tuple[str, ...]] = {}
        for item in self.ambiguous:
            strange = sorted(set(item.rubriques) - set(names))
            if strange:
                message = _(
                    "ambiguous « {wording} » : rubrique(s) inconnue(s) {names}"
                )
                raise ValueError(message.format(
                    wording=item.wording, names=", ".join(strange)))
            words = frozenset(label_words(item.wording).core)
            if not words:
                raise ValueError(_("ambiguous « {wording} » : aucun mot qui porte un sens").format(
                    wording=item.wording))
            shared[words] = tuple(item.rubriques)
        self._reader = LabelReader(table, shared, index, frozenset(names))
        return self

    def field(self, name: str) -> FormField:
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)

    @property
    def printed_fields(self) -> list[FormField]:
        return [f for f in self.fields if f.printed]

    @property
    def required(self) -> list[FormField]:
        return [f for f in self.fields if f.required]

    @property
    def labels(self) -> dict[str, str]:
        """Canonical field name -> label as printed (the mails show fields under these)."""
        return {f.name: f.label for f in self.fields if f.printed}

    @property
    def category_labels(self) -> dict[str, str]:
        return {c.value: c.label for c in self.categories}

    def match_label(self, label: str) -> str | None:
        """The field a written label most likely stands for (`cat:VALUE` for a check-box line,
        `other` for a line that is no rubrique), or None."""
        found = self.match(label)
        return found.field if found else None

    def match(self, label: str) -> LabelMatch | None:
        """Every rubrique a written label may stand for, with scores (see parsers.labels)."""
        return self._reader.match(label)

    @property
    def reader(self) -> LabelReader:
        """The label reader itself, for loops over many lines (no model attribute lookups)."""
        return self._reader

    def knows_word(self, word: str) -> bool:
        """Whether a folded content word belongs to some rubrique's wordings (a fast filter)."""
        return self._reader.knows(word)

    @functools.cached_property
    def category_words(self) -> dict[Category, tuple[str, ...]]:
        """Folded words naming each category in a value, the printed label first."""
        from parsers.fold import fold

        return {
            c.value: tuple(fold(w) for w in (c.label, *c.synonyms)) for c in self.categories
        }


#: Reads and validates a form definition (cached by path and modification time);
#: ParserConfigError names the file and the problem.
load_form = yaml_loader(N_("la définition de la fiche"), FormDefinition.model_validate)


@functools.cache
def default_form() -> FormDefinition:
    """The shipped form (config/form.yaml), read once."""
    return load_form(SHIPPED_FORM)
