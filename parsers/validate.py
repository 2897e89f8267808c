"""A raw fiche to a `Fiche`, or French errors written for the agent who will fix them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from parsers.category import read_category
from parsers.directory import Directory
from parsers.fields import RawFiche
from parsers.form import ALWAYS_REQUIRED, FormDefinition, default_form
from parsers.model import OCR_SOURCES, Fiche, FieldError, Source
from parsers.service import resolve_service
from parsers.values import is_blank, parse_date, parse_time

NO_FICHE = (
    "Aucune fiche de signalement n'a été trouvée dans ce courriel. Recopiez les rubriques de la "
    "fiche dans le corps du message, une par ligne sous la forme « Rubrique : valeur » "
    "(Service / mairie déclarant, Agent déclarant, Date de l'appel, Heure de l'appel, Type de "
    "dysfonctionnement, Nom de l'agent 39 75 si connu, Objet de la demande de l'usager, "
    "Description…), ou joignez la fiche remplie (Word, Excel ou LibreOffice)."
)
#: Fields whose value is read from the text into another form: the text is kept to show it.
READ_AS_WRITTEN = ("call_date", "call_time", "category", "reporter_email")
TEXT_FIELDS = (
    "reporter_name", "agent_3975", "caller_request", "expected_service", "wrong_information",
    "follow_up",
)


@dataclass
class Outcome:
    fiche: Fiche | None
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)
    partial: dict[str, str | None] = field(default_factory=dict)
    #: The fields as written that are read into something else (dates, times, category...).
    written: dict[str, str] = field(default_factory=dict)
    #: Field -> the label it was read under, as written.
    read_from: dict[str, str] = field(default_factory=dict)


def _quote(value: str) -> str:
    return f"« {value if len(value) <= 60 else value[:57] + '…'} »"


def ocr_warnings(value: dict[str, str | None], form: FormDefinition) -> list[FieldError]:
    """One warning per field read from a scan or a photo: OCR mistakes a 3 for an 8."""
    return [
        FieldError(field=name, message=f"{label} : {_quote(text)} lu par reconnaissance de "
                   "caractères, vérifiez cette valeur.")
        for name, label in form.labels.items()
        if (text := value.get(name)) is not None
    ]


def build(
    raw: RawFiche,
    *,
    directory: Directory,
    ref: dt.date,
    source: Source,
    sender_name: str | None,
    sender_email: str | None,
    form: FormDefinition | None = None,
) -> Outcome:
    """Validates one raw fiche; `ref` is the email's date (for relative dates and the future)."""
    form = form or default_form()
    errors: list[FieldError] = []
    warnings: list[FieldError] = list(raw.warnings)
    value = {k: (None if is_blank(v) else v) for k, v in raw.values.items()}
    read_from = {k: v for k, v in raw.read_from.items() if value.get(k) is not None}

    def err(name: str, message: str) -> None:
        errors.append(FieldError(field=name, message=message))

    service = value.get("service")
    service_id = None
    if service is None:
        err("service", form.field("service").missing_message)
    else:
        entry = resolve_service(service, directory)
        if entry is None:
            warnings.append(FieldError(field="service", message=(
                f"Service / mairie déclarant non reconnu : {_quote(service)} ne figure pas dans "
                "l'annuaire. La fiche est transmise à la file d'attente du 39 75 ; écrivez par "
                "exemple « Mairie du 12e » ou le sigle de la direction (DPE, DVD…).")))
        else:
            service_id = entry.id

    call_date = None
    date_text = value.get("call_date")
    if date_text is None:
        err("call_date", form.field("call_date").missing_message)
    else:
        call_date = parse_date(date_text, ref)
        if call_date is None:
            err("call_date", f"Date de l'appel illisible : {_quote(date_text)}. Écrivez-la sous "
                "la forme jour/mois/année, par exemple 12/03/2026.")
        elif call_date > ref:
            err("call_date", f"Date de l'appel dans le futur : {_quote(date_text)} est postérieure "
                f"à la date du courriel ({ref:%d/%m/%Y}). Vérifiez le jour et le mois "
                "(jour/mois/année, par exemple 12/03/2026).")
            call_date = None

    call_time = None
    time_text = value.get("call_time")
    if time_text is not None:
        call_time = parse_time(time_text)
        if call_time is None:
            err("call_time", f"Heure de l'appel illisible : {_quote(time_text)}. Écrivez-la par "
                "exemple 14h30 ou 14:30, ou laissez la rubrique vide si vous ne la connaissez pas.")

    category = None
    category_text = value.get("category")
    if category_text is None:
        err("category", form.field("category").missing_message)
    else:
        reading = read_category(category_text, form)
        category = reading.category
        if reading.problem:
            err("category", reading.problem)

    description = value.get("description")
    if description is None:
        err("description", form.field("description").missing_message)

    reporter_email = value.get("reporter_email")
    if reporter_email is not None:
        m = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", reporter_email)
        reporter_email = m[0].lower() if m else None
    reporter_email = reporter_email or sender_email
    texts = {k: value.get(k) for k in TEXT_FIELDS}
    texts["reporter_name"] = texts["reporter_name"] or sender_name or None

    for rubrique in form.required:
        if rubrique.name not in ALWAYS_REQUIRED and value.get(rubrique.name) is None:
            err(rubrique.name, rubrique.missing_message)

    partial: dict[str, str | None] = {k: value.get(k) for k in form.labels if k in value}
    partial.update({"service_id": service_id, "reporter_email": reporter_email,
                    "reporter_name": texts["reporter_name"]})
    if call_date is not None:
        partial["call_date"] = call_date.isoformat()
    if call_time is not None:
        partial["call_time"] = call_time
    if category is not None:
        partial["category"] = category
    if source in OCR_SOURCES:
        warnings += ocr_warnings(value, form)
    if errors or service is None or call_date is None or category is None or description is None:
        return Outcome(None, errors, warnings, partial, read_from=read_from)
    fiche = Fiche(
        service=service, service_id=service_id, reporter_email=reporter_email,
        call_date=call_date, call_time=call_time, category=category, description=description,
        source=source, **texts,
    )
    written = {k: v for k in READ_AS_WRITTEN if (v := value.get(k)) is not None}
    return Outcome(fiche, errors, warnings, partial, written, read_from)
