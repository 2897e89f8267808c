"""What each key of the configuration files means, in French, for the JSON Schemas.

Editors show these texts when an admin hovers or completes a key. They sit here rather than in
the models so that the models stay the code's; a test fails when a key has no text here.
"""

from __future__ import annotations

from pydantic import BaseModel

from intake.config.settings import Settings
from parsers.directory import Entry
from parsers.form import AmbiguousWording, CategoryOption, FormDefinition, FormField, Limits
from parsers.wordings import WordingsFile
from rules.model import AllOf, AnyOf, FieldCondition, Not, Rule, RulesFile

#: Model -> key (as written in the file) -> description.
DESCRIPTIONS: dict[type[BaseModel], dict[str, str]] = {
    Settings: {
        "mailbox": "Où arrivent les fiches et les réponses des valideurs : "
        "imap://COMPTE@HÔTE:143/INBOX, imaps://COMPTE@HÔTE:993/INBOX ou maildir://CHEMIN.",
        "outbox": "Par où partent nos courriels : smtp://HÔTE:25, smtps://HÔTE:465, "
        "smtp://COMPTE@HÔTE:587, ou dir://CHEMIN (chaque courriel écrit en fichier .eml).",
        "database": "Le fichier SQLite (messages, tickets, journal, courriels). À sauvegarder.",
        "rules": "Le fichier de l'annuaire et des règles de routage (vérifiez-le avec "
        "`intake rules check`).",
        "templates": "Le dossier des modèles de courriels (jinja2), en français.",
        "form": "La fiche officielle (rubriques, libellés, limites des pièces jointes) ; "
        "absent : celle livrée avec intake.",
        "decisions": "Les formulations des réponses des encadrants (accord, refus...) ; "
        "absent : celles livrées avec intake.",
        "sender": "Nom et adresse de l'expéditeur de nos courriels, ceux de la boîte ci-dessus "
        "pour que les réponses y reviennent : 'Signalements 39 75 <adresse@paris.fr>'.",
        "poll_seconds": "Toutes les combien de secondes relever la boîte quand le serveur ne "
        "prévient pas (pas d'IMAP IDLE).",
        "imap_idle": "true : attendre le courrier avec IMAP IDLE quand le serveur le propose ; "
        "false : relever toutes les poll_seconds seulement.",
        "processed_folder": "Dossier où va un message une fois son ticket enregistré.",
        "retention_days": "Jours après la dernière activité d'un ticket clos avant que ses "
        "données personnelles soient effacées.",
        "quarantine_folder": "Dossier où va un message qui n'a pas pu être traité (il reste "
        "aussi dans la base : `intake quarantine list`).",
        "auth": "Connexion à la boîte et au serveur SMTP : password (mots de passe dans "
        "l'environnement) ou xoauth2 (Microsoft 365 et autres services sans mot de passe).",
        "oauth2_token_command": "Avec auth: xoauth2, la commande qui affiche un jeton OAuth 2 "
        "valide (sinon la variable INTAKE_OAUTH2_TOKEN).",
        "require_authenticated_replies": "Nom (authserv-id) de notre serveur de courrier : une "
        "validation, ou une fiche complétée par réponse, ne compte que si son en-tête "
        "Authentication-Results garantit le domaine de l'expéditeur lui-même (DMARC, ou "
        "DKIM/SPF de ce domaine).",
        "max_message_mb": "Taille maximale d'un message lu, en Mo ; au-delà il est gardé mais "
        "pas lu, et l'expéditeur est prié d'envoyer la fiche seule.",
        "max_mails_per_recipient_per_day": "Nombre maximal de réponses à des messages reçus "
        "(accusés, fiches incomplètes, explications, commentaires relayés) envoyées à une même "
        "adresse en 24 heures ; les suivantes attendent (protection contre les boucles). Les "
        "demandes de validation, relances, transmissions et avis de décision n'attendent jamais.",
        "bounce_suppression_days": "Jours sans écrire à une adresse dont un courriel est "
        "revenu en erreur.",
        "max_fiches_per_message": "Nombre maximal de fiches lues dans un même message ; au-delà, "
        "aucune n'est enregistrée et l'expéditeur reçoit une seule réponse qui l'explique.",
        "max_mails_per_sender_per_day": "Nombre maximal de nos courriels qu'un même expéditeur "
        "peut causer en 24 heures, toutes ses fiches comprises (demandes de validation "
        "incluses) ; les suivants attendent. Ce qui suit une décision n'est pas compté.",
        "parse_processes": "Processus qui lisent les messages à côté du programme (0 : aucun) ; "
        "par défaut 1 sur une machine à deux cœurs ou plus.",
    },
    RulesFile: {
        "directory": "L'annuaire : les mairies, les directions et la plateforme 39 75.",
        "queue": "L'adresse où va une fiche quand les règles ne nomment personne.",
        "admins": "Qui est prévenu quand une modification de ce fichier est refusée "
        "(par défaut : l'adresse de queue).",
        "platform": "L'identifiant, dans l'annuaire, de l'entrée des responsables du 39 75.",
        "reference_prefix": "Le début des références de tickets, comme 3975 dans 3975-2026-00042.",
        "rules": "Les règles de routage, dans l'ordre : la première qui convient décide "
        "(sauf stop: false) ; terminez par une règle sans condition.",
    },
    Entry: {
        "id": "Identifiant court, en minuscules, chiffres et tirets (mairie-12) : les règles "
        "désignent l'entrée par lui.",
        "name": "Le nom tel que les agents l'écrivent sur la fiche (Mairie du 12e).",
        "kind": "mairie, direction, plateforme ou autre.",
        "aliases": "Autres noms qui désignent ce service sur une fiche (DPE, Mairie 12...).",
        "arrondissements": "Numéros des arrondissements servis par une mairie (Paris Centre : "
        "1 à 4), pour reconnaître « Mairie du 3e ».",
        "supervisors": "Adresses des encadrants qui valident les fiches de ce service.",
        "contacts": "Adresses qui reçoivent les fiches transmises à ce service.",
        "attached_mairies": "Identifiants des mairies rattachées, destinataires avec "
        "service.attached_mairies.",
        "address": "Adresse postale, pour l'annuaire des téléconseillers.",
        "phone": "Téléphone, pour l'annuaire des téléconseillers.",
        "hours": "Horaires d'ouverture, pour l'annuaire des téléconseillers.",
        "handles": "Ce que traite ce service, pour l'annuaire des téléconseillers.",
    },
    FieldCondition: {
        "field": "La rubrique testée : category, service_id, service.kind, reporter_domain, "
        "call_weekday, call_hour ou toute rubrique de la fiche.",
        "equals": "Vrai quand la rubrique vaut exactement cette valeur.",
        "in": "Vrai quand la rubrique vaut l'une de ces valeurs.",
        "contains": "Vrai quand la rubrique contient ce texte.",
        "regex": "Vrai quand la rubrique correspond à cette expression régulière.",
        "min": "Borne basse incluse, pour un nombre (call_hour: 8 à 12 couvre 8 h 00 à 12 h 59).",
        "max": "Borne haute incluse, pour un nombre.",
    },
    AllOf: {"all": "Vrai quand toutes ces conditions sont vraies."},
    AnyOf: {"any": "Vrai quand au moins une de ces conditions est vraie."},
    Not: {"not": "Vrai quand cette condition est fausse."},
    Rule: {
        "id": "Nom de la règle, unique, repris dans le journal de chaque ticket.",
        "description": "Ce que fait la règle, en une phrase, pour les autres administrateurs.",
        "when": "La condition sur la fiche ; absente : la règle convient à toutes les fiches.",
        "approval": "required : la fiche attend la validation des approvers ; none : elle est "
        "transmise tout de suite.",
        "approvers": "Qui valide : adresses, identifiants de l'annuaire (leurs contacts), "
        "ID.supervisors, service.supervisors, service.contacts.",
        "recipients": "À qui la fiche est transmise une fois validée (mêmes références que "
        "approvers, et service.attached_mairies).",
        "cc": "Qui reçoit une copie de la transmission.",
        "redact": "Rubriques cachées à un destinataire : {service.attached_mairies: "
        "[reporter_name]}. On peut cacher davantage, jamais montrer le nom du téléconseiller.",
        "templates": "Modèle de courriel propre à cette règle, par sorte de courriel : "
        "{accuse-reception: accuse-reception-dpe}.",
        "reminder_hours": "Heures sans décision avant une relance des valideurs.",
        "escalate_hours": "Heures sans décision avant de demander la validation à escalate_to.",
        "escalate_to": "Qui valide après escalate_hours (par défaut : l'adresse de queue).",
        "relay_comments_to": "Qui reçoit copie d'un commentaire répondu sur un courriel du "
        "ticket (par défaut : personne).",
        "stop": "true : les règles suivantes ne sont pas lues ; false : elles ajoutent leurs "
        "destinataires.",
    },
    FormDefinition: {
        "title": "Le titre imprimé en tête de la fiche vierge.",
        "intro": "Le texte imprimé sous le titre : comment remplir et envoyer la fiche.",
        "limits": "Les limites des pièces jointes lues.",
        "fields": "Les rubriques, dans l'ordre où la fiche les imprime ; chacune une seule fois.",
        "categories": "Les choix de « Type de dysfonctionnement », chacun une seule fois.",
        "ambiguous": "Les libellés qui peuvent désigner deux rubriques (« Service », "
        "« Commentaire ») : la fiche décide laquelle, et l'agent est prévenu.",
        "other_labels": "Les lignes qui ne sont pas des rubriques (« Téléphone ») : elles "
        "terminent la rubrique au-dessus et ne sont pas lues.",
    },
    AmbiguousWording: {
        "wording": "Le libellé tel que les agents l'écrivent (casse, accents et pluriel libres).",
        "rubriques": "Les rubriques qu'il peut désigner, la plus courante d'abord.",
    },
    FormField: {
        "name": "Le nom de la rubrique pour le programme (service, call_date...) ; ne pas changer.",
        "label": "Le libellé imprimé sur la fiche.",
        "type": "text, date, time, datetime, category, service ou email : comment la valeur "
        "est lue et vérifiée.",
        "required": "true : une fiche sans cette rubrique est renvoyée à son auteur.",
        "printed": "false : la rubrique est lue mais pas imprimée sur la fiche vierge.",
        "help": "Aide courte imprimée après le libellé, sans deux-points.",
        "missing": "Le message lu par l'agent quand cette rubrique obligatoire est vide.",
        "synonyms": "Les autres libellés que les agents écrivent pour cette rubrique.",
    },
    CategoryOption: {
        "value": "transfer_error, wrong_information ou other : le choix pour le programme.",
        "label": "Le libellé imprimé à côté de la case.",
        "box_labels": "Les autres libellés de case cochée qui valent ce choix.",
        "synonyms": "Les mots qui désignent ce choix quand il est écrit en toutes lettres.",
    },
    Limits: {
        "max_attachment_mb": "Taille maximale d'une pièce jointe lue, en Mo.",
        "max_inflated_mb": "Taille maximale d'une pièce jointe une fois décompressée, en Mo.",
    },
    WordingsFile: {
        "approve": "Les formulations qui valident (« bon pour accord », « validé »).",
        "reject": "Les formulations qui refusent (« je refuse », « pas validé »).",
        "reject_first": "Les mots qui refusent seulement en début de phrase (« Non. »).",
        "negations": "Les négations : devant un mot d'accord elles en font un refus.",
        "neutral": "Les expressions avec un mot de négation qui ne nient rien (« n'hésitez pas »).",
        "doubt": "Le doute : une phrase qui en contient ne décide rien.",
        "conditions": "Les conditions : une phrase qui en contient ne décide rien "
        "(« OK si l'usager confirme »).",
        "reservations": "Les réserves : elles empêchent un accord de compter, jamais un refus.",
        "absence": "Les messages d'absence : une réponse qui en contient ne décide jamais.",
        "instructions": "Les lignes de nos propres demandes : retrouvées dans une réponse, "
        "elles montrent une citation non marquée, et la réponse ne décide rien.",
        "end_of_answer": "Les lignes qui terminent la réponse : formules de politesse, "
        "mentions ajoutées par les serveurs de courrier.",
    },
}
