"""Fiches in HTML mail: paragraphs, two-column tables (title, header and section rows) and
four-column label | value | label | value tables, as Outlook and webmails send them."""

from __future__ import annotations

import random
from html import escape

from . import content
from .fiche import SECTIONS, Fiche, Line
from .text import NUMBERINGS, number


def _value(line: Line) -> str:
    return "<br>".join(escape(v) for v in line.value)


def _label(line: Line, prefix: str, colon: bool) -> str:
    text = escape(prefix + line.label.text) + (" :" if colon else "")
    return f"<b>{text}</b>"


def _page(rng: random.Random, fiche: Fiche, inner: str) -> str:
    greeting = escape(rng.choice(content.GREETINGS))
    closing = escape(rng.choice(content.CLOSINGS))
    return (
        "<html><head><meta charset=\"utf-8\"></head><body>"
        f"<p>{greeting}</p><p>{escape(rng.choice(content.INTROS))}</p>{inner}"
        f"<p>Fait à Paris, le {fiche.sent:%d/%m/%Y}</p>"
        f"<p>{closing}<br>{escape(fiche.sender_name)}<br>{escape(rng.choice(content.TITLES))}</p>"
        "</body></html>"
    )


def paragraphs(rng: random.Random, fiche: Fiche) -> tuple[str, list[str]]:
    numbering = rng.choice(NUMBERINGS)
    tag = rng.choice(("p", "div"))
    inner = "".join(
        f"<{tag}>{_label(line, number(numbering, i), True)} {_value(line)}</{tag}>"
        for i, line in enumerate(fiche.lines)
    )
    classes = [f"html-tag:{tag}"] + ([f"numbering:{numbering}"] if numbering else [])
    return _page(rng, fiche, inner), classes


def _row(*cells: str, span: int = 1) -> str:
    attr = f' colspan="{span}"' if span > 1 else ""
    return "<tr>" + "".join(f"<td{attr}>{c}</td>" for c in cells) + "</tr>"


def two_columns(rng: random.Random, fiche: Fiche) -> tuple[str, list[str]]:
    classes: list[str] = []
    colon = rng.random() < 0.3
    rows = []
    if rng.random() < 0.4:
        rows.append(_row("<b>FICHE DE SIGNALEMENT 39 75</b>", span=2))
        classes.append("title-row")
    if rng.random() < 0.3:
        rows.append(_row("<b>Rubrique</b>", "<b>Renseignement</b>"))
        classes.append("header-row")
    sections = rng.random() < 0.4
    if sections:
        classes.append("section-rows")
    current = -1
    for line in fiche.lines:
        if sections and fiche.section_of(line) != current:
            current = fiche.section_of(line)
            rows.append(_row(f"<b>{escape(rng.choice(SECTIONS[current][0]))}</b>", span=2))
        rows.append(_row(_label(line, "", colon), _value(line)))
    table = '<table border="1" cellpadding="4">' + "".join(rows) + "</table>"
    return _page(rng, fiche, table), classes


def four_columns(rng: random.Random, fiche: Fiche) -> tuple[str, list[str]]:
    """Short rubriques two by two on a row; long text on a row of its own, merged across."""
    rows = []
    pending: list[Line] = []

    def flush() -> None:
        if pending:
            cells = [c for line in pending for c in (_label(line, "", False), _value(line))]
            rows.append(_row(*cells) if len(cells) == 4 else
                        f"<tr><td>{cells[0]}</td><td colspan=\"3\">{cells[1]}</td></tr>")
            pending.clear()

    for line in fiche.lines:
        if len(line.text) > 45 or len(line.value) > 1:
            flush()
            rows.append(f"<tr><td>{_label(line, '', False)}</td>"
                        f"<td colspan=\"3\">{_value(line)}</td></tr>")
            continue
        pending.append(line)
        if len(pending) == 2:
            flush()
    flush()
    table = '<table border="1">' + "".join(rows) + "</table>"
    return _page(rng, fiche, table), ["merged-value-cells"]
