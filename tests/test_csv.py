"""CSV fiches as spreadsheets save them: Excel in its French locale, LibreOffice, Google Sheets.

Each class (delimiter, encoding, Excel's "sep=" line, quoted cells holding the delimiter or
line breaks, trailing empty columns and rows, formula guards, UTF-16 "Texte Unicode", a fiche
typed as lines of text) is attached to a real email and read by `classify`, and every field
of the fiche is compared. The files of tests/files/csv/ were saved by LibreOffice
(scripts/make-csv-fixtures); the others are written here byte for byte as Excel and Google
Sheets write them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from helpers import shipped_parse_context
from variants.fiche import make_fiche
from variants.measure import norm

from parsers import classify
from parsers.attachments.delimited import MAX_COLUMNS, MAX_ROWS, read_csv, sniff
from parsers.form import default_form
from parsers.model import Fiche, FicheResult, InvalidResult

CTX = shipped_parse_context()
TESTS = Path(__file__).resolve().parent
SENDER = "Hélène Dubois <helene.dubois@paris.fr>"
#: The fiche as typed in the spreadsheet: a comma and a semicolon in cells, a description
#: of three lines with quotes in it, a rubrique left blank.
ROWS = [
    ("Service / mairie déclarant", "Mairie du 17e arrondissement"),
    ("Agent déclarant", "Hélène Dubois"),
    ("Courriel de l'agent déclarant", "h.dubois@paris.fr"),
    ("Date de l'appel", "09/03/2026"),
    ("Heure de l'appel", "11h40"),
    ("Type de dysfonctionnement", "Information erronée"),
    ("Nom de l'agent 39 75", "Mehdi"),
    ("Objet de la demande de l'usager", "Horaires de la piscine, bassin nordique"),
    ("Service vers lequel l'appel aurait dû être orienté", ""),
    ("Information erronée communiquée", "Piscine annoncée ouverte le lundi matin"),
    ("Description", "L'usager s'est déplacé pour rien ; la piscine est fermée le lundi.\n"
                    "Il a parlé d'un accueil \"inadmissible\".\nRappel fait, usager informé."),
    ("Suite donnée / commentaire", "Usager rappelé le jour même"),
]
EXPECTED: dict[str, Any] = {
    "service": "Mairie du 17e arrondissement", "service_id": "mairie-17",
    "reporter_name": "Hélène Dubois", "reporter_email": "h.dubois@paris.fr",
    "call_date": dt.date(2026, 3, 9), "call_time": "11:40", "category": "wrong_information",
    "agent_3975": "Mehdi", "caller_request": "Horaires de la piscine, bassin nordique",
    "expected_service": None, "wrong_information": "Piscine annoncée ouverte le lundi matin",
    "description": "L'usager s'est déplacé pour rien ; la piscine est fermée le lundi. "
                   "Il a parlé d'un accueil \"inadmissible\". Rappel fait, usager informé.",
    "follow_up": "Usager rappelé le jour même", "source": "csv",
}
Table = list[list[str]]


def written(rows: Table, delimiter: str = ";", end: str = "\r\n",
            quoting: int = csv.QUOTE_MINIMAL) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=end, quoting=quoting).writerows(rows)
    return out.getvalue()


def used_range(rows: Table, width: int, below: int) -> Table:
    """Rows as Excel saves a sheet's used range: every row as wide, empty rows under it."""
    return [row + [""] * (width - len(row)) for row in rows] + [[""] * width] * below


def fiche_rows() -> Table:
    return [list(row) for row in ROWS]


def attached(data: bytes, name: str = "fiche.csv", ctype: str = "text/csv") -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"] = SENDER, "signalements-3975@paris.fr"
    msg["Subject"] = "Fiche de signalement"
    msg["Date"] = "Mon, 09 Mar 2026 15:00:00 +0100"
    msg.set_content("Bonjour,\n\nci-joint la fiche de signalement.\n\nCordialement\n")
    maintype, subtype = ctype.split("/")
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def fiches_of(raw: bytes, warned: frozenset[str] = frozenset()) -> list[Fiche]:
    """The fiches read; the fields warned about must be exactly `warned`."""
    result = classify(raw, CTX)
    assert isinstance(result, FicheResult), result
    assert {w.field for w in result.warnings} == warned, result.warnings
    return result.fiches


def assert_fiche(fiche: Fiche, expected: dict[str, Any]) -> None:
    """Every field, free text compared with its spaces and line breaks folded."""
    got = fiche.model_dump()
    for field, value in expected.items():
        if isinstance(value, str) and field != "source":
            assert norm(got[field]) == norm(value), field
        else:
            assert got[field] == value, field


# --- each class of file, one fiche of label/value rows ----------------------------------------

#: class -> the bytes of the fiche saved that way.
FILES: dict[str, bytes] = {
    # Excel, "CSV (séparateur : point-virgule)": cp1252, CRLF, a title row, the used range.
    "excel-semicolon-cp1252": written(
        used_range([["FICHE DE SIGNALEMENT 39 75"], *fiche_rows()], 4, 3)).encode("cp1252"),
    # Excel opens a file with its delimiter named on a first "sep=" line, and writes one.
    "excel-sep-line": ("sep=;\r\n" + written(fiche_rows())).encode("cp1252"),
    # The same file opened and saved again: the "sep=" line now a quoted cell of its row.
    "excel-sep-line-saved-again": written(
        used_range([["sep=,"], *fiche_rows()], 3, 0), ",").encode("utf-8"),
    # Excel, "CSV UTF-8 (délimité par des virgules)", which in French Excel uses ";".
    "excel-utf8-bom": b"\xef\xbb\xbf" + written(fiche_rows()).encode("utf-8"),
    # Excel, "Texte Unicode" renamed .csv: UTF-16 with its mark, tabs.
    "excel-unicode-text": written(fiche_rows(), "\t").encode("utf-16"),
    # Google Sheets, "Valeurs séparées par des virgules": UTF-8, commas, quoted when needed.
    "google-sheets-comma": written(fiche_rows(), ",").encode("utf-8"),
    "tabs-quoted": written(fiche_rows(), "\t", quoting=csv.QUOTE_ALL).encode("utf-8"),
    "pipes": written(fiche_rows(), "|").encode("utf-8"),
    # Excel for Mac of old ends lines with CR alone.
    "mac-line-ends": written(fiche_rows(), ";", "\r").encode("cp1252"),
}


@pytest.mark.parametrize("kind", sorted(FILES))
def test_each_way_of_saving(kind: str) -> None:
    (fiche,) = fiches_of(attached(FILES[kind]))
    assert_fiche(fiche, EXPECTED)


def test_a_comma_in_a_cell_of_a_short_semicolon_file() -> None:
    """Every row of the file holds a comma: csv.Sniffer takes it for the delimiter."""
    rows = [
        ["Service / mairie déclarant", "Mairie du 17e, accueil"],
        ["Date de l'appel", "le 09/03/2026, vers 11h40"],
        ["Type de dysfonctionnement", "Information erronée, horaires"],
        ["Description", "Piscine annoncée ouverte, elle était fermée."],
    ]
    (fiche,) = fiches_of(attached(written(rows).encode("cp1252")))
    assert_fiche(fiche, {
        "service": "Mairie du 17e, accueil", "service_id": "mairie-17",
        "reporter_name": "Hélène Dubois", "reporter_email": "helene.dubois@paris.fr",
        "call_date": dt.date(2026, 3, 9), "call_time": "11:40",
        "category": "wrong_information", "description": "Piscine annoncée ouverte, elle était "
        "fermée.", "agent_3975": None, "follow_up": None, "source": "csv",
    })


def test_a_cell_starting_with_an_unescaped_quote() -> None:
    """An export that writes quotes as typed: the quoted start breaks the strict reading of
    the right delimiter too, which must still win."""
    text = written([["FICHE DE SIGNALEMENT 39 75"], *fiche_rows()])
    text = text.replace("Mehdi", '"Mehdi" (d\'après l\'usager)')
    (fiche,) = fiches_of(attached(text.encode("cp1252")))
    assert_fiche(fiche, {**EXPECTED, "agent_3975": "Mehdi (d'après l'usager)"})


def test_formula_guards_and_excel_text_cells_are_undone() -> None:
    """Exports put an apostrophe before a cell starting with - + = @ so that Excel does not
    run it; Excel writes ="…" to keep a date or a number as text."""
    rows = fiche_rows()
    rows[3][1] = '="09/03/2026"'
    rows[9][1] = "'- Piscine annoncée ouverte le lundi matin"
    rows[11][1] = "'+ Usager rappelé le jour même"
    (fiche,) = fiches_of(attached(written(rows).encode("utf-8")))
    assert_fiche(fiche, {**EXPECTED,
                         "wrong_information": "- Piscine annoncée ouverte le lundi matin",
                         "follow_up": "+ Usager rappelé le jour même"})


def test_a_fiche_typed_as_lines_of_text() -> None:
    """A fiche typed down column A, "Label : valeur" a line: the commas in the values are no
    delimiter, each line stays whole."""
    lines = [f"{label} : {value}" for label, value in ROWS if "\n" not in value and value]
    lines.append("Description : L'usager s'est déplacé pour rien, la piscine est fermée.")
    (fiche,) = fiches_of(attached(("\r\n".join(lines) + "\r\n").encode("cp1252")))
    assert_fiche(fiche, {**EXPECTED,
                         "description": "L'usager s'est déplacé pour rien, la piscine est "
                         "fermée."})


# --- several fiches, one a row ---------------------------------------------------------------

HEADER = [label for label, _ in ROWS]
SECOND = {
    "Service / mairie déclarant": "Mairie du 18e", "Agent déclarant": "Paul Girard",
    "Courriel de l'agent déclarant": "paul.girard@paris.fr", "Date de l'appel": "02/03/2026",
    "Heure de l'appel": "09:05", "Type de dysfonctionnement": "Erreur de transfert d'appel",
    "Objet de la demande de l'usager": "Acte de naissance, pour un dossier de retraite",
    "Service vers lequel l'appel aurait dû être orienté": "Mairie du 17e",
    "Description": "Transféré au 18e au lieu du 17e;\nl'usager a rappelé.",
}
SECOND_EXPECTED: dict[str, Any] = {
    "service": "Mairie du 18e", "service_id": "mairie-18", "reporter_name": "Paul Girard",
    "reporter_email": "paul.girard@paris.fr", "call_date": dt.date(2026, 3, 2),
    "call_time": "09:05", "category": "transfer_error", "agent_3975": None,
    "caller_request": "Acte de naissance, pour un dossier de retraite",
    "expected_service": "Mairie du 17e", "wrong_information": None,
    "description": "Transféré au 18e au lieu du 17e; l'usager a rappelé.",
    "follow_up": None, "source": "csv",
}
TABLE = [HEADER, [value for _, value in ROWS], [SECOND.get(label, "") for label in HEADER]]


@pytest.mark.parametrize(("delimiter", "encoding"), [
    (";", "cp1252"), (",", "utf-8"), ("\t", "utf-16"), (";", "utf-8-sig"),
])
def test_a_table_of_fiches_one_a_row(delimiter: str, encoding: str) -> None:
    data = written(used_range(TABLE, len(HEADER) + 2, 2), delimiter).encode(encoding)
    first, second = fiches_of(attached(data))
    assert_fiche(first, EXPECTED)
    assert_fiche(second, SECOND_EXPECTED)


# --- files saved by LibreOffice ----------------------------------------------------------------

SAVED = sorted((TESTS / "files" / "csv").glob("*.csv"))


@pytest.mark.parametrize("path", SAVED, ids=[p.name for p in SAVED])
def test_saved_by_libreoffice(path: Path) -> None:
    spec = json.loads((TESTS / "office" / f"{path.name.split('.')[0]}.ods.expected.json")
                      .read_text(encoding="utf-8"))
    msg = EmailMessage()
    msg["From"], msg["To"] = spec["sender"], "signalements-3975@paris.fr"
    msg["Subject"], msg["Date"] = "Fiche de signalement 39 75", spec["sent"]
    msg.set_content("Bonjour,\n\nCi-joint la fiche.\n")
    msg.add_attachment(path.read_bytes(), maintype="text", subtype="csv", filename=path.name)
    # Calc's sheet heads its column "Mairie", which may also name the service the call should
    # have gone to: read as the declaring service, with a warning the agent sees.
    warned = frozenset({"service"}) if path.name.startswith("calc-rows") else frozenset()
    (fiche,) = fiches_of(msg.as_bytes(), warned)
    expected = dict(spec["fiche"], source="csv")
    expected["call_date"] = dt.date.fromisoformat(expected["call_date"])
    assert_fiche(fiche, expected)


def test_the_saved_files_cover_each_way_of_saving() -> None:
    heads = {p.name.split(".")[1]: p.read_bytes()[:2] for p in SAVED}
    assert set(heads) == {"semicolon-cp1252", "semicolon-utf8", "comma-utf8", "tab-utf16"}
    assert heads["tab-utf16"] == b"\xff\xfe"


# --- bounds and files that are not CSV ---------------------------------------------------------


def test_rows_and_columns_read_are_bounded() -> None:
    junk = [[f"{r}.{c}" for c in range(MAX_COLUMNS + 50)] for r in range(MAX_ROWS + 1000)]
    started = time.monotonic()
    ((grid,), text) = read_csv(written(fiche_rows() + junk).encode("utf-8"))
    assert time.monotonic() - started < 10
    assert (len(grid), max(len(row) for row in grid), text) == (MAX_ROWS, MAX_COLUMNS, "")
    assert grid[0] == list(ROWS[0])


def test_a_fiche_above_a_long_sheet_is_read() -> None:
    junk = [["Ligne", str(n), "sans rapport"] for n in range(MAX_ROWS * 2)]
    (fiche,) = fiches_of(attached(written(fiche_rows() + junk).encode("utf-8")))
    assert_fiche(fiche, EXPECTED)


def test_binary_data_named_csv_is_told_as_damaged() -> None:
    data = b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 8
    result = classify(attached(data, "fiche.csv"), CTX)
    assert isinstance(result, InvalidResult)
    assert [e.message.split(" : ")[0] for e in result.errors] == [
        "Pièce jointe « fiche.csv » illisible"]


# --- the delimiter, measured against csv.Sniffer ------------------------------------------------


def _generated(count: int) -> list[Table]:
    form = default_form()
    tables = []
    for n in range(count):
        fiche = make_fiche(random.Random(f"csv:{n}"), form, CTX.directory)
        rows = [[line.label.text, "\n".join(line.value)] for line in fiche.lines]
        tables += [rows, [list(col) for col in zip(*rows, strict=True)]]
    return tables


def test_the_delimiter_is_found_where_csv_sniffer_fails() -> None:
    """Generated fiches, as label/value rows and as a header row over a row of values,
    saved with each delimiter, quoted when needed or always: the delimiter is always found,
    where csv.Sniffer misses a good part of them."""
    tables = _generated(30)
    found = missed_by_sniffer = total = 0
    for table in tables:
        for delimiter in (";", ",", "\t", "|"):
            for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_ALL):
                text = written(table, delimiter, quoting=quoting)
                total += 1
                found += sniff(text) == delimiter
                try:
                    missed_by_sniffer += csv.Sniffer().sniff(text).delimiter != delimiter
                except csv.Error:
                    missed_by_sniffer += 1
    assert found == total
    assert missed_by_sniffer > total // 10
