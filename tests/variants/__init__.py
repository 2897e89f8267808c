"""Seeded variants of the fiche de signalement, each with the values it must parse to.

`generate(seed, count)` writes fiches the ways agents do (labels reworded, values written
freely, every presentation: body, HTML, Word, Excel, LibreOffice, CSV) from form.yaml's
labels and rules.yaml's directory. The same seed gives the same emails, byte for byte.
`python -m tests.variants` measures the parser on them (see measure.py).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from parsers.directory import Directory
from parsers.form import FormDefinition, default_form

from . import html, mail, office, text
from .fiche import Fiche, make_fiche

Render = Callable[[random.Random, Fiche, str], tuple[bytes, list[str]]]


def _attached(write: Callable[[random.Random, Fiche], tuple[bytes, list[str]]], ext: str) -> Render:
    def render(rng: random.Random, fiche: Fiche, name: str) -> tuple[bytes, list[str]]:
        data, classes = write(rng, fiche)
        return mail.attachment_mail(rng, fiche, name, data, ext), classes

    return render


def _body(rng: random.Random, fiche: Fiche, name: str) -> tuple[bytes, list[str]]:
    body, classes = text.body(rng, fiche)
    return mail.plain_mail(rng, fiche, name, body), classes


def _html(write: Callable[[random.Random, Fiche], tuple[str, list[str]]]) -> Render:
    def render(rng: random.Random, fiche: Fiche, name: str) -> tuple[bytes, list[str]]:
        page, classes = write(rng, fiche)
        return mail.html_mail(rng, fiche, name, page), classes

    return render


#: Presentation name -> how a fiche becomes an email.
PRESENTATIONS: dict[str, Render] = {
    "body": _body,
    "html-paragraphs": _html(html.paragraphs),
    "html-table": _html(html.two_columns),
    "html-4col": _html(html.four_columns),
    "docx-2col": _attached(office.docx_two_columns, "docx"),
    "docx-4col": _attached(office.docx_four_columns, "docx"),
    "docx-section-column": _attached(office.docx_section_column, "docx"),
    "docx-labels-above": _attached(office.docx_labels_above, "docx"),
    "docx-paragraphs": _attached(office.docx_paragraphs, "docx"),
    "xlsx-rows": _attached(office.xlsx_rows, "xlsx"),
    "xlsx-sections": _attached(office.xlsx_sections, "xlsx"),
    "xlsx-header-row": _attached(office.xlsx_table, "xlsx"),
    "ods-rows": _attached(office.ods_rows, "ods"),
    "odt-table": _attached(office.odt_table, "odt"),
    "odt-paragraphs": _attached(office.odt_paragraphs, "odt"),
    "csv-rows": _attached(lambda rng, f: text.csv_file(rng, f, header_row=False), "csv"),
    "csv-header-row": _attached(lambda rng, f: text.csv_file(rng, f, header_row=True), "csv"),
}


@dataclass
class Variant:
    name: str
    presentation: str
    raw: bytes
    fiche: Fiche
    #: Classes of the presentation (separator, numbering, title row...) and of the fiche.
    classes: list[str]

    def field_classes(self) -> dict[str, list[str]]:
        """Field -> the classes of its label and value as written; "*" -> the whole fiche's."""
        out: dict[str, list[str]] = {"*": [f"{self.presentation}:{c}" for c in self.classes]}
        for line in self.fiche.lines:
            names = ["call_date", "call_time"] if line.field == "call_datetime" else [line.field]
            classes = [f"label:{c}" for c in line.label.classes]
            classes.append(f"value:{names[0]}:{line.way}")
            if line.field == "call_datetime":
                classes.append("label:combined-date-time")
            for name in names:
                out.setdefault(name, []).extend(classes)
        return out


def generate(
    seed: int,
    count: int,
    *,
    directory: Directory,
    form: FormDefinition | None = None,
    presentations: list[str] | None = None,
    label_classes: frozenset[str] | None = None,
) -> Iterator[Variant]:
    """`count` variants from `seed`, the presentations taken in turn."""
    form = form or default_form()
    names = presentations or list(PRESENTATIONS)
    for index in range(count):
        rng = random.Random(f"{seed}:{index}")
        presentation = names[index % len(names)]
        fiche = make_fiche(rng, form, directory, label_classes)
        name = f"v{seed}-{index}-{presentation}"
        raw, classes = PRESENTATIONS[presentation](rng, fiche, name)
        yield Variant(name, presentation, raw, fiche, classes + fiche.classes)
