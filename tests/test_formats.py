"""Old and other formats agents send (.doc, .xls, .rtf, .txt, Outlook .msg, attached .eml),
and the answer that names each file that could not be read, and why.

The .doc, .xls and .rtf files of tests/files/ were typed in LibreOffice Writer and Calc and
saved by LibreOffice (scripts/make-format-fixtures); the .msg files are written by
tests/msgfile.py. Every case goes through `classify` of a real email.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import time
import zipfile
from email.message import EmailMessage
from pathlib import Path

import docx
import pypdf
import pytest
from helpers import FICHE_TEXT, shipped_parse_context
from msgfile import MsgAttachment, msg_bytes

from parsers import classify
from parsers.attachments import readable_formats
from parsers.attachments.guard import damaged, image_format, pdf_without_text
from parsers.context import ParseContext
from parsers.form import Limits, default_form
from parsers.model import FicheResult, InvalidResult

FILES = Path(__file__).resolve().parent / "files"
CTX = shipped_parse_context()
SENDER = "Hélène Dubois <helene.dubois@paris.fr>"
#: The fiche typed in the office-made files (scripts/make-format-fixtures).
TYPED = {
    "service": "Mairie du 17e arrondissement", "service_id": "mairie-17",
    "reporter_name": "Hélène Dubois", "call_date": dt.date(2026, 3, 9), "call_time": "11:40",
    "category": "wrong_information", "agent_3975": "Mehdi",
    "caller_request": "Horaires de la piscine Bernard Lafay",
    "wrong_information": "Piscine annoncée ouverte le lundi matin",
    "description": "L'usager s'est déplacé pour rien : la piscine est fermée le lundi.",
}
#: The Writer table's Description cell has a second paragraph, with a "|" in it.
TABLE_DESCRIPTION = TYPED["description"] + " Rappel fait le jour même | usager informé."
PASSWORD = "Pièce jointe « {} » illisible : elle est protégée par un mot de passe."
DAMAGED = "Pièce jointe « {} » illisible : le fichier est endommagé"
Files = list[tuple[str, bytes, str]]


def mail(files: Files, body: str = "Bonjour,\n\nla fiche est jointe.\n", html: str = "") -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"] = SENDER, "signalements-3975@paris.fr"
    msg["Subject"] = "Fiche de signalement"
    msg["Date"] = "Fri, 13 Mar 2026 09:00:00 +0100"
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    for name, data, ctype in files:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def attached(name: str, data: bytes, ctype: str = "application/octet-stream") -> bytes:
    return mail([(name, data, ctype)])


def fiche_of(raw: bytes, ctx: ParseContext = CTX) -> FicheResult:
    result = classify(raw, ctx)
    assert isinstance(result, FicheResult), result
    return result


def messages(raw: bytes, ctx: ParseContext = CTX) -> list[str]:
    result = classify(raw, ctx)
    assert isinstance(result, InvalidResult), result
    assert all(e.field == "" for e in result.errors)
    return [e.message for e in result.errors]


def assert_typed(result: FicheResult, source: str, **changes: object) -> None:
    (fiche,) = result.fiches
    expected = {**TYPED, **changes}
    assert {k: getattr(fiche, k) for k in expected} == expected
    assert fiche.source == source
    assert result.warnings == []


# --- files read ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ctype", "source", "description"),
    [
        ("fiche-table.doc", "application/msword", "doc", TABLE_DESCRIPTION),
        ("fiche-paragraphs.doc", "application/msword", "doc", TYPED["description"]),
        ("fiche-labels.xls", "application/vnd.ms-excel", "xls", TYPED["description"]),
        ("fiche-table.rtf", "application/rtf", "rtf", TABLE_DESCRIPTION),
        ("fiche-paragraphs.rtf", "text/rtf", "rtf", TYPED["description"]),
    ],
)
def test_office_made_files_are_read(name: str, ctype: str, source: str, description: str) -> None:
    result = fiche_of(attached(name, (FILES / name).read_bytes(), ctype))
    assert_typed(result, source, description=description)
    assert result.fiches[0].reporter_email == "helene.dubois@paris.fr"


def test_xls_of_several_fiches_with_calc_dates() -> None:
    result = fiche_of(attached("fiches.xls", (FILES / "fiches-rows.xls").read_bytes()))
    got = [(f.service_id, f.reporter_name, f.call_date, f.call_time, f.category, f.source)
           for f in result.fiches]
    assert got == [
        ("mairie-18", "Paul Girard", dt.date(2026, 3, 2), "09:05", "transfer_error", "xls"),
        ("mairie-19", "Inès Morel", dt.date(2026, 3, 3), "16:30", "other", "xls"),
    ]


def test_content_decides_over_a_misleading_name() -> None:
    """Word saves "RTF" under a .doc name; an old .doc gets renamed .docx by hand."""
    rtf_as_doc = fiche_of(attached("fiche.doc", (FILES / "fiche-paragraphs.rtf").read_bytes()))
    assert_typed(rtf_as_doc, "rtf")
    doc_as_docx = fiche_of(attached("fiche.docx", (FILES / "fiche-paragraphs.doc").read_bytes()))
    assert_typed(doc_as_docx, "doc")


def test_text_file() -> None:
    lines = FICHE_TEXT.format(service="Mairie du 12e", description="Mauvais transfert.")
    for data in (lines.encode("cp1252"), lines.encode("utf-16")):
        (fiche,) = fiche_of(attached("fiche.txt", data, "text/plain")).fiches
        assert (fiche.service_id, fiche.description, fiche.source) == (
            "mairie-12", "Mauvais transfert.", "txt")


# --- .doc without antiword ------------------------------------------------------------------


def path_with(tmp_path: Path, *programs: str) -> str:
    """A PATH holding only `programs` (those installed here)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for program in programs:
        found = shutil.which(program)
        if found:
            (folder / program).symlink_to(found)
    return str(folder)


def test_doc_without_any_reader_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", path_with(tmp_path))
    raw = attached("fiche.doc", (FILES / "fiche-table.doc").read_bytes(), "application/msword")
    assert messages(raw) == [
        "Pièce jointe « fiche.doc » non lue : les fichiers Word 97-2003 (.doc) ne peuvent pas "
        "être lus sur ce serveur. Enregistrez la fiche en .docx ou recopiez-la dans le corps du "
        "message."
    ]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_doc_refused_by_antiword_is_read_by_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusing = tmp_path / "bin"
    refusing.mkdir()
    (refusing / "antiword").write_text("#!/bin/sh\necho 'unsupported' >&2\nexit 1\n")
    (refusing / "antiword").chmod(0o755)
    monkeypatch.setenv("PATH", f"{refusing}:{os.environ['PATH']}")
    monkeypatch.setenv("HOME", str(tmp_path))
    result = fiche_of(attached("fiche.doc", (FILES / "fiche-table.doc").read_bytes()))
    assert_typed(result, "doc", description=TABLE_DESCRIPTION)


# --- forwards attached as files -------------------------------------------------------------


def inner_mail(files: Files, body: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Paul Girard <paul.girard@paris.fr>"
    msg["Subject"] = "Fiche 39 75 du 9 mars"
    msg["Date"] = "Mon, 09 Mar 2026 15:00:00 +0100"
    msg.set_content(body)
    for name, data, ctype in files:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


FICHE_BODY = FICHE_TEXT.format(service="Mairie du 18e", description="Transféré au 17e.")


def test_eml_attached_as_a_file_is_read_like_a_forward() -> None:
    inner = inner_mail([], FICHE_BODY)
    (fiche,) = fiche_of(attached("Fiche 39 75.eml", inner)).fiches
    assert (fiche.service_id, fiche.description, fiche.source) == (
        "mairie-18", "Transféré au 17e.", "body")
    assert (fiche.reporter_name, fiche.reporter_email) == ("Sophie Martin", "paul.girard@paris.fr")


def test_eml_holding_an_xls() -> None:
    xls = (FILES / "fiche-labels.xls").read_bytes()
    inner = inner_mail([("fiche.xls", xls, "application/vnd.ms-excel")], "Ci-joint la fiche.")
    result = fiche_of(attached("transfert.eml", inner, "message/rfc822"))
    assert_typed(result, "xls")
    assert result.fiches[0].reporter_email == "paul.girard@paris.fr"


def outlook_message(**changes: object) -> bytes:
    fields: dict[str, object] = {
        "subject": "Fiche de signalement", "sender_name": "Paul Girard",
        "sender_email": "paul.girard@paris.fr", "body": "Bonjour,\n\nci-joint la fiche.\n",
    }
    return msg_bytes(**{**fields, **changes})  # type: ignore[arg-type]


def test_msg_body_is_read_like_a_forward() -> None:
    raw = attached("Fiche.msg", outlook_message(body=FICHE_BODY), "application/vnd.ms-outlook")
    (fiche,) = fiche_of(raw).fiches
    assert (fiche.service_id, fiche.description, fiche.source) == (
        "mairie-18", "Transféré au 17e.", "msg")
    assert fiche.reporter_email == "paul.girard@paris.fr"


def test_msg_html_body() -> None:
    rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in [
        ("Service / mairie déclarant", "Mairie du 19e"), ("Date de l'appel", "05/03/2026"),
        ("Type de dysfonctionnement", "Autre"), ("Description", "Appel coupé."),
    ])
    raw = attached("Fiche.msg", outlook_message(body="", html=f"<table>{rows}</table>"))
    (fiche,) = fiche_of(raw).fiches
    assert (fiche.service_id, fiche.call_date, fiche.category, fiche.source) == (
        "mairie-19", dt.date(2026, 3, 5), "other", "msg")


def test_msg_attachments_are_read() -> None:
    doc = MsgAttachment("fiche.doc", (FILES / "fiche-table.doc").read_bytes(), "application/msword")
    raw = attached("RE Fiche.msg", outlook_message(attachments=[doc]))
    result = fiche_of(raw)
    assert_typed(result, "doc", description=TABLE_DESCRIPTION)
    assert result.fiches[0].reporter_email == "paul.girard@paris.fr"


def test_forward_without_a_fiche_is_named() -> None:
    raw = attached("Réunion.msg", outlook_message(body="Réunion mardi à 10h."))
    assert messages(raw) == [
        "Message joint « Réunion.msg » lu, mais aucune fiche de signalement n'y a été trouvée. "
        "Transférez le message qui contient la fiche, ou recopiez la fiche dans le corps du "
        "message."
    ]


# --- files not read: which, and why ---------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["fiche-protected.docx", "fiche-protected.xlsx", "fiche-encrypted.doc",
             "fiche-encrypted.xls"],
)
def test_password_protected_files(name: str) -> None:
    (message,) = messages(attached(name, (FILES / name).read_bytes()))
    assert message.startswith(PASSWORD.format(name))


def test_protected_file_beside_a_body_fiche_is_a_warning() -> None:
    data = (FILES / "fiche-encrypted.doc").read_bytes()
    result = fiche_of(mail([("annexe.doc", data, "application/msword")], body=FICHE_BODY))
    assert [w.message.startswith(PASSWORD.format("annexe.doc")) for w in result.warnings] == [True]


def damaged_versions(name: str) -> list[bytes]:
    data = (FILES / name).read_bytes()
    middle = len(data) // 2
    return [data[:middle], data[:512] + bytes(len(data) - 512), data[:middle] + b"\xff" * 64]


@pytest.mark.parametrize("name", ["fiche-table.doc", "fiche-labels.xls", "fiche-table.rtf"])
def test_damaged_office_files(name: str) -> None:
    for data in damaged_versions(name):
        found = messages(attached(name, data))
        assert len(found) == 1 and found[0].startswith(DAMAGED.format(name)), found


def test_damaged_msg_and_rtf() -> None:
    good = outlook_message(body=FICHE_BODY)
    for data in (good[: len(good) // 2], good[:1024] + bytes(4096)):
        (message,) = messages(attached("Fiche.msg", data))
        assert message.startswith(DAMAGED.format("Fiche.msg"))
    (message,) = messages(attached("fiche.rtf", b"Ceci n'est pas du RTF" * 20))
    assert message.startswith(DAMAGED.format("fiche.rtf"))


def test_too_big_doc_is_named() -> None:
    form = default_form().model_copy(update={"limits": Limits(max_attachment_mb=0.005)})
    ctx = ParseContext(directory=CTX.directory, form=form)
    (message,) = messages(attached("fiche.doc", (FILES / "fiche-table.doc").read_bytes()), ctx)
    assert message.startswith("Pièce jointe « fiche.doc » ignorée : elle pèse")
    assert "au-delà de la limite" in message


def test_unknown_format_names_it_and_what_is_read() -> None:
    (message,) = messages(attached("fiche.pages", b"\x00\x01 Apple Pages" * 100))
    assert message == (
        "Pièce jointe « fiche.pages » non lue : le format « .pages » n'est pas pris en charge. "
        f"Les fiches sont lues en {readable_formats()}. Enregistrez la fiche dans l'un de ces "
        "formats, ou recopiez-la dans le corps du message."
    )
    assert readable_formats() == (
        "Word (.docx, .doc), Excel (.xlsx, .xls), LibreOffice (.odt, .ods), PDF, CSV, RTF, "
        "message Outlook (.msg, .eml), texte (.txt) ou photo de la fiche (.jpg, .png)"
    )


def test_powerpoint_97_is_an_unknown_format() -> None:
    """An OLE file that is neither Word, Excel nor Outlook: named by its extension."""
    ole = outlook_message(body="x")
    ppt = ole.replace("__properties_version1.0".encode("utf-16-le"),
                      "PowerPoint Document\0\0\0\0".encode("utf-16-le"))
    (message,) = messages(attached("présentation.ppt", ppt))
    assert "le format « .ppt » n'est pas pris en charge" in message


def test_archive_and_broken_photo_are_named() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("fiche.docx", b"...")
    photo = b"\xff\xd8\xff\xe0" + os.urandom(150_000)
    found = messages(mail([("fiches.zip", archive.getvalue(), "application/zip"),
                           ("IMG_2041.JPG", photo, "image/jpeg")]))
    # A file that could not be read comes first, then the ones read without a fiche.
    assert found == [
        str(damaged("IMG_2041.JPG")),  # a photo is read by OCR: these bytes are no picture
        "Pièce jointe « fiches.zip » non lue : c'est une archive compressée, dont le contenu "
        "n'est pas ouvert. Joignez la fiche elle-même (Word, Excel, LibreOffice ou PDF), ou "
        "recopiez-la dans le corps du message.",
    ]



def test_picture_of_a_format_not_read_names_the_ones_read() -> None:
    # Heavy enough to be no logo, named as a picture but sent as mere bytes.
    found = messages(mail([("IMG_2042.HEIC", os.urandom(300_000), "application/octet-stream"),
                           ("fiche.gif", b"GIF89a" + os.urandom(300_000),
                            "application/octet-stream")]))
    assert found == [str(image_format("IMG_2042.HEIC")), str(image_format("fiche.gif"))]
    assert "format qui n'est pas lu" in found[0] and "JPEG, PNG, TIFF ou PDF" in found[0]


def test_pdf_without_text_or_pictures_is_named() -> None:
    blank = pypdf.PdfWriter()
    blank.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    blank.write(out)
    (message,) = messages(attached("fiche.pdf", out.getvalue(), "application/pdf"))
    assert message == str(pdf_without_text("fiche.pdf"))
    assert "aucun texte à lire" in message and "image" not in message

def test_file_read_without_a_fiche_is_named() -> None:
    document = docx.Document()
    document.add_paragraph("Procédure de signalement : envoyez la fiche à votre responsable.")
    out = io.BytesIO()
    document.save(out)
    (message,) = messages(attached("procédure.docx", out.getvalue()))
    assert message.startswith("Pièce jointe « procédure.docx » lue, mais aucune fiche de "
                              "signalement n'y a été trouvée")


def test_every_file_is_answered_never_the_generic_request() -> None:
    found = messages(mail([
        ("fiche-protected.docx", (FILES / "fiche-protected.docx").read_bytes(),
         "application/octet-stream"),
        ("notes.odp", b"PK\x03\x04 presentation", "application/octet-stream"),
    ]))
    assert [m.split(" : ")[0] for m in found] == [
        "Pièce jointe « fiche-protected.docx » illisible", "Pièce jointe « notes.odp » non lue"]
    assert not any("joignez la fiche remplie" in m for m in found)


def test_signature_pictures_cards_and_invitations_are_not_noise() -> None:
    logo = b"\x89PNG\r\n\x1a\n" + os.urandom(3000)
    html = '<p>Bonjour,</p><p><img src="cid:logo"></p>'
    msg = EmailMessage()
    msg["From"], msg["Subject"] = SENDER, "Fiche"
    msg.set_content(FICHE_BODY)
    msg.add_alternative(html, subtype="html")
    msg.get_payload()[1].add_related(logo, "image", "png", cid="<logo>")
    for name, data, ctype in [
        ("Hélène Dubois.vcf", b"BEGIN:VCARD\r\nFN:H\r\nEND:VCARD\r\n", "text/vcard"),
        ("invite.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
        ("smime.p7s", os.urandom(2000), "application/pkcs7-signature"),
        ("image001.png", logo, "image/png"),
    ]:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    result = fiche_of(msg.as_bytes())
    assert result.warnings == []
    # Without the fiche, none of them is a file the agent meant as one: the usual request.
    msg.get_payload()[0].get_payload()[0].set_content("Bonjour, voici.")
    only = classify(msg.as_bytes(), CTX)
    assert isinstance(only, InvalidResult)
    assert [e.message[:40] for e in only.errors] == [
        "Aucune fiche de signalement n'a été trou"]


# --- bounds ---------------------------------------------------------------------------------


def test_large_rtf_is_read_in_bounded_time() -> None:
    """A 5 MB RTF (a picture pasted in the fiche) costs well under a second of parsing."""
    data = (FILES / "fiche-table.rtf").read_bytes()
    picture = b"{\\pict\\pngblip " + b"89504e47" * 600_000 + b"}"
    big = data.replace(b"FICHE DE SIGNALEMENT", picture + b"FICHE DE SIGNALEMENT", 1)
    assert len(big) > 4_000_000
    start = time.process_time()
    result = fiche_of(attached("fiche.rtf", big))
    assert time.process_time() - start < 3
    assert_typed(result, "rtf", description=TABLE_DESCRIPTION)


def test_a_picture_in_a_format_ocr_cannot_open_is_named_as_such() -> None:
    """An iPhone HEIC photo declared as image/heic is not sent to OCR (which cannot decode
    it) and answered « endommagé »: it is a format not read, said with the file's name."""
    photo = b"\x00\x00\x00\x18ftypheic" + os.urandom(150_000)
    (message,) = messages(mail([("IMG_2041.HEIC", photo, "image/heic")]))
    assert "IMG_2041.HEIC" in message and "endommagé" not in message
