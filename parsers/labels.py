"""How a label as written becomes the key it is looked up by; the labels live in form.yaml.

Keys are compared after `fold_words` (no accents, no case, punctuation as spaces), with any
parenthesised hint such as "(si connu)" or "(jj/mm/aaaa)", a trailing "*", bullets and
numbering removed first. Pseudo-fields: `call_datetime` (combined date and time) and
`cat:<category>` (one check box of the category written as its own line, e.g.
"Erreur de transfert d'appel : X").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from parsers.fold import fold_words

if TYPE_CHECKING:
    from parsers.form import FormDefinition

_HINT = re.compile(r"\([^)]*\)|\*")
_BULLET = re.compile(r"^[\s\-*•·–—>▪◦►o]+\s+|^[-*•·–—▪◦►]+")


def label_key(label: str) -> str:
    """The folded key of a label as written: hints in brackets, bullets and numbering dropped."""
    text = _BULLET.sub("", label.strip())
    text = re.sub(r"^\d{1,2}\s*[.)]\s*", "", text)
    stripped = _HINT.sub(" ", text)
    return fold_words(stripped) or fold_words(text)


def match_label(label: str, form: FormDefinition | None = None) -> str | None:
    """The canonical field a label stands for (in `form`, else the shipped form), or None."""
    if form is None:
        from parsers.form import default_form  # late: the form module imports this one

        form = default_form()
    return form.match_label(label)
