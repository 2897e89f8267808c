"""The labels agents write on a fiche, folded, mapped to canonical field names.

Keys are compared after `fold_words` (no accents, no case, punctuation as spaces), with any
parenthesised hint such as "(si connu)" or "(jj/mm/aaaa)" and a trailing "*" removed first.
Pseudo-fields: `call_datetime` (combined date and time) and `cat:<category>` (one check box of
the category written as its own line, e.g. "Erreur de transfert d'appel : X").
"""

from __future__ import annotations

import re

from parsers.fold import fold_words

SYNONYMS: dict[str, tuple[str, ...]] = {
    "service": (
        "Service / mairie déclarant",
        "Service / mairie déclarante",
        "Service/mairie déclarant",
        "Service ou mairie déclarant",
        "Service déclarant",
        "Mairie déclarante",
        "Mairie déclarant",
        "Mairie / service déclarant",
        "Direction / mairie déclarante",
        "Service émetteur",
        "Service concerné",
        "Mairie",
        "Service",
        "Entité déclarante",
    ),
    "reporter_name": (
        "Agent déclarant",
        "Agente déclarante",
        "Nom de l'agent déclarant",
        "Nom de l'agente déclarante",
        "Nom et prénom de l'agent déclarant",
        "Nom du déclarant",
        "Déclarant",
        "Déclarante",
        "Nom de l'agent",
        "Signalé par",
        "Rédigé par",
    ),
    "reporter_email": (
        "Courriel de l'agent déclarant",
        "Courriel du déclarant",
        "Mail de l'agent déclarant",
        "Email de l'agent déclarant",
        "E-mail de l'agent déclarant",
        "Adresse électronique",
        "Courriel",
        "Email",
        "E-mail",
        "Mél",
    ),
    "call_date": (
        "Date de l'appel",
        "Date d'appel",
        "Date appel",
        "Appel du",
        "Jour de l'appel",
        "Date",
    ),
    "call_time": (
        "Heure de l'appel",
        "Heure d'appel",
        "Heure appel",
        "Heure",
        "Horaire de l'appel",
    ),
    "call_datetime": (
        "Date et heure de l'appel",
        "Date / heure de l'appel",
        "Date et heure",
        "Date/heure",
    ),
    "category": (
        "Type de dysfonctionnement",
        "Nature du dysfonctionnement",
        "Type d'erreur",
        "Nature de l'erreur",
        "Type de signalement",
        "Dysfonctionnement",
        "Catégorie",
        "Type",
        "Nature",
    ),
    "agent_3975": (
        "Nom de l'agent 39 75",
        "Nom de l'agent du 39 75",
        "Nom du téléconseiller",
        "Nom de la téléconseillère",
        "Téléconseiller",
        "Téléconseillère",
        "Agent 3975",
        "Agent 39 75",
        "Agent du 39 75",
        "Agent 39-75",
        "Conseiller 39 75",
        "Interlocuteur 39 75",
    ),
    "caller_request": (
        "Objet de la demande de l'usager",
        "Objet de la demande",
        "Demande de l'usager",
        "Demande de l'usagère",
        "Motif de l'appel",
        "Objet de l'appel",
        "Demande",
    ),
    "expected_service": (
        "Service vers lequel l'appel aurait dû être orienté",
        "Service vers lequel l'appel aurait du etre oriente",
        "Service vers lequel l'appel aurait dû être transféré",
        "Service attendu",
        "Service compétent",
        "Bon service",
        "Orientation attendue",
        "Aurait dû être orienté vers",
    ),
    "wrong_information": (
        "Information erronée communiquée",
        "Informations erronées communiquées",
        "Information erronée donnée",
        "Information communiquée",
        "Information donnée",
        "Erreur communiquée",
    ),
    "description": (
        "Description",
        "Description du dysfonctionnement",
        "Description de l'incident",
        "Description des faits",
        "Descriptif",
        "Détail",
        "Détails",
        "Faits",
        "Observations",
        "Observation",
        "Commentaire de l'agent déclarant",
    ),
    "follow_up": (
        "Suite donnée / commentaire",
        "Suite donnée",
        "Suites données",
        "Suite à donner",
        "Commentaire",
        "Commentaires",
        "Suite",
    ),
    "cat:transfer_error": ("Erreur de transfert d'appel", "Erreur de transfert"),
    "cat:wrong_information": ("Information erronée",),
    "cat:other": ("Autre",),
}

_HINT = re.compile(r"\([^)]*\)|\*")
_BULLET = re.compile(r"^[\s\-*•·–—>▪◦►o]+\s+|^[-*•·–—▪◦►]+")


def label_key(label: str) -> str:
    """The folded key of a label as written: hints in brackets, bullets and numbering dropped."""
    text = _BULLET.sub("", label.strip())
    text = re.sub(r"^\d{1,2}\s*[.)]\s*", "", text)
    stripped = _HINT.sub(" ", text)
    return fold_words(stripped) or fold_words(text)


_TABLE: dict[str, str] = {
    fold_words(_HINT.sub(" ", s)): f for f, ss in SYNONYMS.items() for s in ss
}


def match_label(label: str) -> str | None:
    """The canonical field a label stands for, or None when it is not a fiche label."""
    if not label or len(label) > 90:
        return None
    key = label_key(label)
    if not key:
        return None
    return _TABLE.get(key)
