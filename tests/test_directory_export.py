"""`intake directory export`: the annuaire for the téléconseillers, in three formats."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner
from helpers import SHIPPED
from openpyxl import load_workbook

from intake.cli.main import main
from parsers.directory import Directory, Entry
from rules.directory_export import to_csv, to_html, to_xlsx

CONFIG = ["--config", str(SHIPPED / "intake.yaml")]

HOSTILE = Directory(
    [
        Entry(
            id="piege",
            name='=HYPERLINK("http://evil","clic")',
            kind="autre",
            aliases=["<script>alert(1)</script>"],
            phone="+33 1 00 00 00 00",
            hours="-5 & plus",
            handles=["@SUM(A1)"],
        )
    ]
)


def test_csv_from_the_shipped_directory() -> None:
    result = CliRunner().invoke(main, [*CONFIG, "directory", "export", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 23
    centre = next(r for r in rows if r["Identifiant"] == "paris-centre")
    assert centre["Nom"] == "Mairie de Paris Centre"
    assert centre["Type"] == "Mairie"
    assert centre["Adresse"] == "2 rue Eugène Spuller, 75003 Paris"
    assert centre["Téléphone"] == "01 87 02 61 00"
    assert centre["Arrondissements"] == "1, 2, 3, 4"
    assert "état civil" in centre["Compétences"]
    assert "Paris Centre" in centre["Autres noms"]
    assert "chef.accueil" not in result.output  # supervisors' addresses stay out


def test_csv_cells_cannot_become_formulas() -> None:
    (row,) = list(csv.DictReader(io.StringIO(to_csv(HOSTILE))))
    assert row["Nom"].startswith("'=HYPERLINK")
    assert row["Téléphone"] == "'+33 1 00 00 00 00"
    assert row["Horaires"] == "'-5 & plus"
    assert row["Compétences"] == "'@SUM(A1)"


def test_html_is_a_standalone_escaped_page(tmp_path: Path) -> None:
    out = tmp_path / "annuaire.html"
    args = [*CONFIG, "directory", "export", "--format", "html", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert f"23 entries written to {out}" in result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert page.count("<tr>") == 24  # the header and 23 entries
    assert "Direction de la propreté et de l&#x27;eau" in page
    hostile = to_html(HOSTILE)
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile


def test_xlsx_has_one_text_row_per_entry(tmp_path: Path) -> None:
    out = tmp_path / "annuaire.xlsx"
    args = [*CONFIG, "directory", "export", "--format", "xlsx", "-o", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("Nom", "Type", "Autres noms")
    assert len(values) == 24
    assert values[1][0] == "Plateforme téléphonique 39 75"
    to_xlsx(HOSTILE, tmp_path / "hostile.xlsx")
    cell = load_workbook(tmp_path / "hostile.xlsx").active["A2"]  # type: ignore[index]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_xlsx_needs_an_output_file() -> None:
    result = CliRunner().invoke(main, [*CONFIG, "directory", "export", "--format", "xlsx"])
    assert result.exit_code == 2
    assert "give -o FILE.xlsx" in result.output
