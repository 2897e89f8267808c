"""Labels written another way: each rubrique of form.yaml reworded by classes of variation.

A wording starts from the printed label or one of its synonyms, then goes through the changes
agents make (word order, telegraphic style, abbreviations, inflections, extra words, hints,
accents, case). Each change applied is named, so a measure can say which classes fail.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

from parsers.form import FormField

#: Words dropped in telegraphic style ("Date appel", "Nom agent 39 75").
#: A whole word only: "Description" and "Demande" keep their first letters.
ARTICLES = re.compile(r"\b(?:(?:de la|du|des|de|la|le|les)(?:\s+|$)|(?:de l'|d'|l')\s*)",
                      re.IGNORECASE)
ABBREVIATIONS = {
    "téléphonique": "tél.", "information": "info", "informations": "infos",
    "description": "descr.", "dysfonctionnement": "dysfonct.", "déclarant": "décl.",
    "déclarante": "décl.", "communiquée": "comm.", "arrondissement": "arr.",
    "service": "serv.", "courriel": "mail", "commentaire": "comm.", "39 75": "3975",
    "numéro": "n°", "heure": "hr",
}
FEMININE = {
    "agent": "agente", "déclarant": "déclarante", "téléconseiller": "téléconseillère",
    "usager": "usagère", "conseiller": "conseillère", "concerné": "concernée",
}
#: An adjective agents slip in after the first word of a label.
EXTRA_AFTER_FIRST = {
    "date": "exacte", "heure": "approximative", "description": "détaillée", "type": "exact",
    "objet": "précis", "nom": "complet", "information": "précise", "suite": "éventuelle",
    "service": "concerné", "nature": "exacte", "courriel": "professionnel",
}
HINTS_REQUIRED = (" *", "*", " (obligatoire)")
HINTS_OPTIONAL = (" (si connu)", " (facultatif)", " (si connue)", " (le cas échéant)")
HINTS_TYPE = {"date": (" (jj/mm/aaaa)", " (JJ/MM/AA)"), "time": (" (hh:mm)", " (approximative)")}
#: Probability of each class for one label.
RATES = {
    "synonym": 0.35, "order": 0.05, "telegraphic": 0.07, "abbreviation": 0.05,
    "inflection": 0.08, "extra_word": 0.05, "hint": 0.25, "no_accents": 0.2, "case": 0.2,
    # of a fiche without a follow-up: "Commentaire" as the label of the description
    "comment_as_description": 0.06,
}
ALL_CLASSES = frozenset(RATES)
#: Classes the parser was built for (see tests/test_variants.py).
KNOWN_CLASSES = frozenset({"synonym", "hint", "no_accents", "case"})


@dataclass(frozen=True)
class Wording:
    text: str
    classes: tuple[str, ...]


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _swap_order(text: str) -> str | None:
    """"Service / mairie déclarant" -> "Mairie / service déclarant"; "Date de l'appel" ->
    "Appel, date"; None when the label has no parts to swap."""
    if " / " in text:
        left, right = text.split(" / ", 1)
        lw, rw = left.split(), right.split()
        if len(lw) == 1 and len(rw) > 1:
            return _capital(" ".join([rw[0], "/", lw[0].lower(), *rw[1:]]))
        return _capital(f"{right} / {left[:1].lower()}{left[1:]}")
    m = re.match(r"^(\w+(?: \w+)?) (?:de la|de l'|du|des|de|d')\s*(.+)$", text)
    if m and len(m[2]) > 2:
        return _capital(f"{m[2]}, {m[1].lower()}")
    return None


def _replace_words(text: str, table: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        word = m[0]
        new = table.get(word.lower(), word)
        return _capital(new) if word[:1].isupper() else new

    keys = sorted(table, key=len, reverse=True)
    return re.sub(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)", sub, text,
                  flags=re.IGNORECASE)


def _pluralize(text: str) -> str:
    """The first word and the adjectives that follow it in the plural."""
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        if i > 0 and not re.search(r"(é|ée|ue|ée)$", word):
            out += words[i:]
            break
        out.append(word if word.endswith(("s", "x")) else word + "s")
    return " ".join(out)


def _inflect(text: str, field: FormField) -> str:
    feminine = _replace_words(text, FEMININE)
    if feminine != text:
        return feminine
    if field.type == "text" and field.name not in ("reporter_name", "agent_3975"):
        return _pluralize(text)
    return text


def _extra(text: str) -> str:
    first, _, rest = text.partition(" ")
    extra = EXTRA_AFTER_FIRST.get(strip_accents(first).lower())
    if extra is None:
        return text
    return f"{first} {extra} {rest}".strip()


def _hint(rng: random.Random, field: FormField) -> str:
    choices = list(HINTS_REQUIRED if field.required else HINTS_OPTIONAL)
    choices += HINTS_TYPE.get(field.type, ())
    return rng.choice(choices)


def word_label(
    rng: random.Random, field: FormField, classes: frozenset[str] | None = None
) -> Wording:
    """One way of writing `field`'s label; `classes` limits the changes (None: all)."""

    def roll(name: str) -> bool:
        return (classes is None or name in classes) and rng.random() < RATES[name]

    applied: list[str] = []
    text = field.label
    if field.synonyms and roll("synonym"):
        text = rng.choice(field.synonyms)
        applied.append("synonym")
    steps = (
        ("order", _swap_order),
        ("telegraphic", lambda t: _capital(re.sub(r"\s+", " ", ARTICLES.sub("", t)).strip())),
        ("abbreviation", lambda t: _replace_words(t, ABBREVIATIONS)),
        ("inflection", lambda t: _inflect(t, field)),
        ("extra_word", _extra),
    )
    for name, change in steps:
        if roll(name):
            new = change(text)
            if new and new != text:
                text = new
                applied.append(name)
    if roll("hint"):
        text += _hint(rng, field)
        applied.append("hint")
    if roll("no_accents") and strip_accents(text) != text:
        text = strip_accents(text)
        applied.append("no_accents")
    if roll("case"):
        text = rng.choice((str.upper, str.upper, str.lower, str.title))(text)
        applied.append("case")
    return Wording(text, tuple(applied))
