"""The directory (annuaire) as one uniform table for the téléconseillers: CSV, HTML or Excel."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from parsers.directory import Directory, Entry
from rules.cells import inert

TITLE = "Annuaire des mairies et services du 39 75"
#: Column header -> how to read it from an entry. Supervisors' addresses are left out on purpose:
#: the téléconseillers need to orient callers, not to reach the hierarchy.
COLUMNS: dict[str, str] = {
    "Nom": "name",
    "Type": "kind",
    "Autres noms": "aliases",
    "Arrondissements": "arrondissements",
    "Adresse": "address",
    "Téléphone": "phone",
    "Horaires": "hours",
    "Compétences": "handles",
    "Identifiant": "id",
}
KIND_LABELS = {
    "mairie": "Mairie",
    "direction": "Direction",
    "plateforme": "Plateforme",
    "autre": "Autre",
}


def cell(entry: Entry, attr: str) -> str:
    value = getattr(entry, attr)
    if attr == "kind":
        return KIND_LABELS.get(value, value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def rows(directory: Directory) -> list[list[str]]:
    return [[cell(e, attr) for attr in COLUMNS.values()] for e in directory]


def to_csv(directory: Directory) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([[inert(v) for v in row] for row in rows(directory)])
    return out.getvalue()


def to_html(directory: Directory) -> str:
    """A standalone page: opens in any browser, prints on A4 landscape, nothing to fetch."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in COLUMNS)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
        for row in rows(directory)
    )
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{html.escape(TITLE)}</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 1.5em; }}
  table {{ border-collapse: collapse; width: 100%; font-size: 0.9em; }}
  th, td {{ border: 1px solid #bbb; padding: 0.35em 0.5em; text-align: left; vertical-align: top; }}
  th {{ background: #e8eef7; position: sticky; top: 0; }}
  tr:nth-child(even) td {{ background: #f7f7f7; }}
  @page {{ size: A4 landscape; }}
</style>
</head>
<body>
<h1>{html.escape(TITLE)}</h1>
<p>{len(directory)} entrées.</p>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""


def to_xlsx(directory: Directory, path: Path) -> None:
    # openpyxl is imported here, not at start-up: the worker never writes a workbook.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Annuaire"
    sheet.append(list(COLUMNS))
    for row in rows(directory):
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for c in cells:
            c.data_type = "s"  # text, never a formula, whatever the YAML says
            c.alignment = Alignment(wrap_text=True, vertical="top")
    for c in sheet[1]:
        c.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", (40, 12, 35, 14, 32, 16, 40, 40, 16), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(path)
