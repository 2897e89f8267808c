"""Checks made before a file is handed to its reader, so a hostile file costs little.

Readers load whole documents in memory: a zip that inflates to gigabytes (a "zip bomb" named
.docx) would exhaust it, and a password-protected Office file is not a zip at all. Each check
raises `Unreadable` with the French sentence the agent will read.
"""

from __future__ import annotations

import io
import zipfile

#: Office files protected by a password are OLE compound files (as are the old .doc/.xls).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_MEMBERS = 2000
_CHUNK = 1 << 16


class Unreadable(Exception):
    """A file that will not be read; the message is for the agent, in French."""


class Protected(Exception):
    """Raised by a reader when the file needs a password."""


def protected(name: str) -> Unreadable:
    return Unreadable(
        f"Pièce jointe « {name} » illisible : elle est protégée par un mot de passe (ou "
        "enregistrée dans un ancien format .doc/.xls). Enregistrez la fiche sans mot de passe "
        "(.docx, .xlsx, .odt ou .pdf), ou recopiez-la dans le corps du message."
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
    """A docx/xlsx/ods/odt must be a sane zip: not protected, not damaged, not inflating."""
    if data.startswith(OLE_MAGIC):
        raise protected(name)
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
