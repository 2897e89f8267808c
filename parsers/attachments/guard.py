"""Checks made before a file is handed to its reader, so a hostile file costs little.

Readers load whole documents in memory: a zip that inflates to gigabytes (a "zip bomb" named
.docx) would exhaust it, and a password-protected Office file is not a zip at all. Each check
raises `Unreadable` with the French sentence the agent will read.
"""

from __future__ import annotations

import io
import zipfile

#: Old Office files (.doc, .xls, Outlook's .msg) and password-protected docx/xlsx are OLE
#: compound files: the streams inside tell which (see `ole.py`).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_MEMBERS = 2000
_CHUNK = 1 << 16


class Unreadable(Exception):
    """A file that will not be read; the message is for the agent, in French."""


class Protected(Exception):
    """Raised by a reader when the file needs a password."""


class ReaderMissing(Exception):
    """Raised by a reader whose program is not installed on this server; the argument names
    the format as agents know it, e.g. "Word 97-2003 (.doc)"."""


def protected(name: str) -> Unreadable:
    return Unreadable(
        f"Pièce jointe « {name} » illisible : elle est protégée par un mot de passe. "
        "Enregistrez la fiche sans mot de passe (.docx, .xlsx, .odt ou .pdf), ou recopiez-la "
        "dans le corps du message."
    )


def reader_missing(name: str, what: str) -> Unreadable:
    return Unreadable(
        f"Pièce jointe « {name} » non lue : les fichiers {what} ne peuvent pas être lus sur ce "
        "serveur. Enregistrez la fiche en .docx ou recopiez-la dans le corps du message."
    )


def unknown_format(name: str, what: str, readable: str) -> Unreadable:
    return Unreadable(
        f"Pièce jointe « {name} » non lue : le format {what} n'est pas pris en charge. Les "
        f"fiches sont lues en {readable}. Enregistrez la fiche dans l'un de ces formats, ou "
        "recopiez-la dans le corps du message."
    )


def archive(name: str) -> Unreadable:
    return Unreadable(
        f"Pièce jointe « {name} » non lue : c'est une archive compressée, dont le contenu "
        "n'est pas ouvert. Joignez la fiche elle-même (Word, Excel, LibreOffice ou PDF), ou "
        "recopiez-la dans le corps du message."
    )


def image_format(name: str) -> Unreadable:
    """A picture in a format OCR is not given (GIF, BMP, HEIC, WebP…)."""
    return Unreadable(
        f"Pièce jointe « {name} » non lue : c'est une image dans un format qui n'est pas lu ; "
        "une photo ou une numérisation de la fiche est lue en JPEG, PNG, TIFF ou PDF. "
        "Renvoyez-la dans l'un de ces formats, ou joignez le fichier Word, Excel ou "
        "LibreOffice de la fiche, ou tapez la fiche dans le corps du message."
    )


def pdf_without_text(name: str) -> Unreadable:
    """A PDF with neither text nor page images: blank pages, or letters drawn as shapes."""
    return Unreadable(
        f"Pièce jointe « {name} » non lue : ce PDF ne contient aucun texte à lire (pages "
        "vides, ou texte enregistré sous forme de dessin). Renvoyez le fichier Word, Excel ou "
        "LibreOffice de la fiche, ou tapez la fiche dans le corps du message."
    )


def no_fiche_in(name: str) -> Unreadable:
    return Unreadable(
        f"Pièce jointe « {name} » lue, mais aucune fiche de signalement n'y a été trouvée : "
        "les rubriques (Service / mairie déclarant, Date de l'appel, Type de "
        "dysfonctionnement, Description…) n'y figurent pas. Vérifiez que c'est bien la fiche "
        "remplie, ou recopiez-la dans le corps du message."
    )


def no_fiche_in_message(name: str) -> Unreadable:
    return Unreadable(
        f"Message joint « {name} » lu, mais aucune fiche de signalement n'y a été trouvée. "
        "Transférez le message qui contient la fiche, ou recopiez la fiche dans le corps du "
        "message."
    )


def mb(size: int | float) -> str:
    return f"{size / (1024 * 1024):.0f} Mo".replace(".", ",")


def check_size(name: str, data: bytes, limit: int) -> None:
    if len(data) > limit:
        raise Unreadable(
            f"Pièce jointe « {name} » ignorée : elle pèse {mb(len(data))}, au-delà de la limite "
            f"de {mb(limit)}. Envoyez une fiche plus légère (sans images) ou recopiez-la dans le "
            "corps du message."
        )


def check_zip(name: str, data: bytes, limit: int) -> None:
    """A docx/xlsx/ods/odt must be a sane zip: not damaged, not inflating."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise damaged(name) from exc
    with archive:
        members = archive.infolist()
        declared = sum(m.file_size for m in members)
        if len(members) > MAX_MEMBERS or declared > limit:
            raise too_big(name, limit)
        # Declared sizes can lie: inflate for real, chunk by chunk, and stop at the bound.
        total = 0
        try:
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise too_big(name, limit)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
            raise damaged(name) from exc
        except RuntimeError as exc:  # zipfile's word for an encrypted member
            raise damaged(name) from exc


def damaged(name: str) -> Unreadable:
    return Unreadable(
        f"Pièce jointe « {name} » illisible : le fichier est endommagé ou n'est pas au format "
        "annoncé. Enregistrez de nouveau la fiche et renvoyez-la, ou recopiez-la dans le corps "
        "du message."
    )


def too_big(name: str, limit: int) -> Unreadable:
    return Unreadable(
        f"Pièce jointe « {name} » ignorée : une fois décompressée elle dépasserait {mb(limit)}, "
        "ce qu'une fiche de signalement ne peut pas contenir. Renvoyez la fiche seule, sans "
        "images, ou recopiez-la dans le corps du message."
    )
