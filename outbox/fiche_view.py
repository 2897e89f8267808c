"""A ticket's fiche as the lines a given recipient may see, with the labels of the form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Labels as printed on the official fiche, in its order.
LABELS: dict[str, str] = {
    "service": "Service / mairie déclarant",
    "reporter_name": "Agent déclarant",
    "reporter_email": "Courriel de l'agent déclarant",
    "call_date": "Date de l'appel",
    "call_time": "Heure de l'appel",
    "category": "Type de dysfonctionnement",
    "agent_3975": "Nom de l'agent 39 75",
    "caller_request": "Objet de la demande de l'usager",
    "expected_service": "Service vers lequel l'appel aurait dû être orienté",
    "wrong_information": "Information erronée communiquée",
    "description": "Description",
    "follow_up": "Suite donnée / commentaire",
}

CATEGORY_LABELS = {
    "transfer_error": "Erreur de transfert d'appel",
    "wrong_information": "Information erronée",
    "other": "Autre",
}


def _display(field: str, value: Any) -> str:
    if field == "category":
        return CATEGORY_LABELS.get(str(value), str(value))
    if field == "call_date" and isinstance(value, str) and len(value) == 10:
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    return str(value)


def fiche_lines(record: dict[str, Any], hidden: Iterable[str] = ()) -> list[dict[str, str]]:
    """Label/value pairs of the filled-in fields; `hidden` fields are shown as withheld."""
    hidden = set(hidden)
    lines = []
    for field, label in LABELS.items():
        value = record.get(field)
        if value in (None, ""):
            continue
        shown = "(non communiqué)" if field in hidden else _display(field, value)
        lines.append({"field": field, "label": label, "value": shown})
    return lines
