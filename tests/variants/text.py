"""Fiches as plain text: the body of a message (greeting, rubriques, closing, signature) and
CSV files (label/value rows or a header row)."""

from __future__ import annotations

import csv
import io
import random

from . import content
from .fiche import Fiche, Line

NUMBERINGS = ("", "", "", "1.", "1)", "a)", "-", "•", "*", "–")
SEPARATORS = (":", ":", " :", " :", " - ", "\t", " ", "aligned", "above")


def number(style: str, index: int) -> str:
    """The bullet or number in front of the index-th rubrique ("" for none)."""
    if style in ("1.", "1)"):
        return f"{index + 1}{style[1]} "
    if style == "a)":
        return f"{chr(ord('a') + index)}) "
    return f"{style} " if style else ""


def rubrique_lines(line: Line, prefix: str, separator: str, width: int) -> list[str]:
    """A rubrique as typed: label, separator, value; a long value goes on below."""
    label = prefix + line.label.text
    if separator == "above":
        return [label, *line.value]
    if separator == "aligned":
        head = label.ljust(width) + " :"
    elif separator in (":", " :"):
        head = label + separator
    else:
        head = label + (separator if line.value else "")
    if not line.value:
        return [head]
    glue = "" if separator == "\t" else " "
    return [head + glue + line.value[0], *line.value[1:]]


def fiche_text(rng: random.Random, fiche: Fiche) -> tuple[list[str], list[str]]:
    """The rubriques as text lines, and the classes of this presentation."""
    numbering, separator = rng.choice(NUMBERINGS), rng.choice(SEPARATORS)
    width = max(len(line.label.text) for line in fiche.lines) + 4
    out: list[str] = []
    for i, line in enumerate(fiche.lines):
        out += rubrique_lines(line, number(numbering, i), separator, width)
        if separator == "above":
            out.append("")
    classes = [f"separator:{separator!r}"] + ([f"numbering:{numbering}"] if numbering else [])
    return out, classes


def signature(rng: random.Random, fiche: Fiche) -> list[str]:
    lines = [rng.choice(content.CLOSINGS), "", fiche.sender_name, rng.choice(content.TITLES)]
    if rng.random() < 0.5:
        lines.append(f"Tél. : 01 87 02 {rng.randrange(10, 99)} {rng.randrange(10, 99)}")
    return lines


def body(rng: random.Random, fiche: Fiche) -> tuple[str, list[str]]:
    """A message body: greeting, the fiche, "Fait à Paris, le ...", closing and signature."""
    rubriques, classes = fiche_text(rng, fiche)
    lines = [rng.choice(content.GREETINGS), ""]
    intro = rng.choice(content.INTROS)
    lines += [intro, ""] if intro else []
    lines += rubriques
    made = f"Fait à Paris, le {fiche.sent:%d/%m/%Y}"
    if rng.random() < 0.5:
        if rng.random() < 0.7:
            lines.append("")
        else:
            classes.append("closing-without-blank-line")
        lines.append(made)
    lines += ["", *signature(rng, fiche)]
    return "\n".join(lines) + "\n", classes


def csv_file(rng: random.Random, fiche: Fiche, header_row: bool) -> tuple[bytes, list[str]]:
    """A CSV export: label;value rows, or one header row of labels and one row of values."""
    delimiter = rng.choice((";", ";", ",", "\t"))
    encoding = rng.choice(("utf-8", "utf-8-sig", "cp1252"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if header_row:
        writer.writerow([line.label.text for line in fiche.lines])
        writer.writerow(["\n".join(line.value) for line in fiche.lines])
    else:
        for line in fiche.lines:
            writer.writerow([line.label.text, "\n".join(line.value)])
    try:
        data = out.getvalue().encode(encoding)
    except UnicodeEncodeError:  # check boxes have no place in cp1252: saved as UTF-8
        encoding = "utf-8"
        data = out.getvalue().encode(encoding)
    return data, [f"csv-delimiter:{delimiter!r}", f"csv-encoding:{encoding}"]
