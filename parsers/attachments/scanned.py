"""Scans and photos that gave no fiche: the exceptions the readers raise, the agent's answer.

Kept apart from the readers, which load pdfium, Pillow and numpy: the attachment dispatcher
imports this on every mail, the readers only when a PDF or an image comes.
"""

from __future__ import annotations


class Scanned(Exception):
    """The PDF's pages are images without text: a fiche printed and scanned."""


#: Why OCR gave nothing, in the words of the answer.
NOT_INSTALLED = "la reconnaissance de caractères n'est pas disponible sur ce serveur"
NOTHING = ("la reconnaissance de caractères n'y a rien lu d'exploitable (image floue, trop "
           "sombre, trop petite ou de travers ?)")
TOO_SLOW = "sa lecture par reconnaissance de caractères a pris trop de temps"
TOO_BIG = "l'image est trop grande pour être lue"
NO_FICHE = ("la reconnaissance de caractères l'a lue mais n'y a trouvé aucune rubrique de la "
            "fiche de signalement")


class NotRead(Exception):
    """OCR could not give usable text; `reason` is one of the sentences above."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def ocr_problem(name: str, scan: bool, reason: str) -> str:
    """The French answer for a scan or a photo from which no fiche was read."""
    what = (f"votre PDF « {name} » est une image numérisée" if scan
            else f"votre image « {name} » est une photo de la fiche")
    return (f"Pièce jointe non lue : {what}, et {reason}. Renvoyez le fichier Word, Excel ou "
            "LibreOffice de la fiche, ou tapez la fiche dans le message (une rubrique par "
            "ligne, « Rubrique : valeur »).")
