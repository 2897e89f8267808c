"""`intake form` writes a blank fiche; filled in as an agent would, it parses back exactly."""

from __future__ import annotations

import datetime as dt
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from formfill import FILLERS
from helpers import SHIPPED

from intake.cli.main import main
from intake.operations.blank_form import FORMATS
from parsers import classify
from parsers.context import ParseContext
from parsers.form import default_form
from parsers.model import FicheResult
from rules.loader import load_rules

TYPED = {
    "service": "Mairie du 12e arrondissement",
    "reporter_name": "Sophie Martin",
    "reporter_email": "sophie.martin@paris.fr",
    "call_date": "12/03/2026",
    "call_time": "14h30",
    "category": "wrong_information",
    "agent_3975": "Karim B.",
    "caller_request": "Horaires de la piscine Reuilly",
    "expected_service": "Direction de la jeunesse et des sports",
    "wrong_information": "La piscine serait ouverte le lundi matin",
    "description": "L'usager a été renvoyé vers nous avec une information fausse.",
    "follow_up": "Usager rappelé le jour même",
}
EXPECTED = {
    **TYPED,
    "service_id": "mairie-12",
    "call_date": "2026-03-12",
    "call_time": "14:30",
}
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}


def _email(fmt: str, data: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Agent <agent@paris.fr>"
    msg["To"] = "signalements-3975@paris.fr"
    msg["Subject"] = "Fiche de signalement"
    msg["Date"] = "Fri, 13 Mar 2026 09:00:00 +0100"
    if fmt == "txt":
        msg.set_content("Bonjour,\n\n" + data.decode("utf-8") + "\nCordialement\n")
    else:
        msg.set_content("Bonjour, ci-joint la fiche.")
        maintype, subtype = MIME[fmt].split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=f"fiche.{fmt}")
    return msg.as_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
def test_blank_fiche_round_trip(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"fiche.{fmt}"
    result = CliRunner().invoke(main, ["form", "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    form = default_form()
    filled = FILLERS[fmt](target.read_bytes(), form, TYPED)
    ctx = ParseContext(directory=load_rules(SHIPPED / "rules.yaml").directory)
    parsed = classify(_email(fmt, filled), ctx)
    assert isinstance(parsed, FicheResult), parsed
    (fiche,) = parsed.fiches
    got = fiche.model_dump(mode="json")
    assert {k: got[k] for k in EXPECTED} == EXPECTED
    assert fiche.source == ("body" if fmt == "txt" else fmt)
    assert parsed.warnings == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_blank_fiche_left_empty_names_every_required_rubrique(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"fiche.{fmt}"
    CliRunner().invoke(main, ["form", "--format", fmt, "-o", str(target)])
    filled = FILLERS[fmt](target.read_bytes(), default_form(), {"reporter_name": "S. Martin"})
    ctx = ParseContext(directory=load_rules(SHIPPED / "rules.yaml").directory)
    parsed = classify(_email(fmt, filled), ctx, received_at=dt.datetime(2026, 3, 13))
    assert parsed.kind == "invalid", parsed
    fields = {e.field for e in parsed.errors}  # type: ignore[union-attr]
    assert {"service", "call_date", "category", "description"} <= fields


#: A member only a file of each format holds.
MEMBER = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": "content.xml"}


def _written_format(path: Path) -> str:
    if not zipfile.is_zipfile(path):
        return "txt"
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    return next(fmt for fmt, member in MEMBER.items() if member in names)


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_follows_the_file_extension(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"Fiche-Vierge.{fmt.upper()}"
    result = CliRunner().invoke(main, ["form", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert _written_format(target) == fmt
    assert f"({fmt})" in result.output


def test_format_given_wins_over_the_extension(tmp_path: Path) -> None:
    target = tmp_path / "fiche.docx"
    result = CliRunner().invoke(main, ["form", "--format", "odt", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert _written_format(target) == "odt"


@pytest.mark.parametrize("name", ["fiche.pdf", "fiche"])
def test_extension_of_no_blank_fiche_format_is_refused(name: str, tmp_path: Path) -> None:
    target = tmp_path / name
    result = CliRunner().invoke(main, ["form", "-o", str(target)])
    assert result.exit_code == 2
    assert "--format" in result.output and ".odt" in result.output
    assert not target.exists()


def test_without_a_file_the_fiche_is_a_docx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["form"])
    assert result.exit_code == 0, result.output
    assert _written_format(tmp_path / "fiche-signalement.docx") == "docx"
