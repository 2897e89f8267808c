"""Values as agents write them: dates, times, categories, labels, services."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers import find_reference, resolve_service
from parsers.category import read_category
from parsers.directory import Directory
from parsers.fold import fold_words
from parsers.form import default_form
from parsers.mime import decode_bytes
from parsers.values import MONTHS, is_blank, parse_date, parse_time
from rules.loader import load_rules

REF = dt.date(2026, 3, 14)  # a Saturday
FORM = default_form()
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_rules(ROOT / "config" / "rules.yaml").directory


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/03/2026", "2026-03-12"),
        ("12/03/26", "2026-03-12"),
        ("12.03.2026", "2026-03-12"),
        ("12-03-2026", "2026-03-12"),
        ("12 mars 2026", "2026-03-12"),
        ("12 MARS 2026", "2026-03-12"),
        ("jeudi 12 mars", "2026-03-12"),
        ("1er mars 2026", "2026-03-01"),
        ("le 1er mars", "2026-03-01"),
        ("2026-03-12", "2026-03-12"),
        ("3 févr. 2026", "2026-02-03"),
        ("12/03", "2026-03-12"),
        ("28/12", "2025-12-28"),
        ("hier", "2026-03-13"),
        ("Hier après-midi", "2026-03-13"),
        ("avant-hier", "2026-03-12"),
        ("aujourd'hui", "2026-03-14"),
        ("aujourd’hui", "2026-03-14"),
        ("ce matin", "2026-03-14"),
        ("cet après-midi", "2026-03-14"),
        ("jeudi", "2026-03-12"),
        ("le 12 mars 2026 vers 14 h 30", "2026-03-12"),
        ("05/05/2025 à 10h40", "2025-05-05"),
    ],
)
def test_dates(text: str, expected: str) -> None:
    assert parse_date(text, REF) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize("text", ["32/13/2026", "31/02/2026", "bientôt", "", "00/00/0000"])
def test_unreadable_dates(text: str) -> None:
    assert parse_date(text, REF) is None


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_numeric_dates_round_trip(day: dt.date) -> None:
    for text in (f"{day:%d/%m/%Y}", f"{day:%d.%m.%Y}", f"{day:%d-%m-%Y}", f"{day:%d/%m/%y}",
                 day.isoformat(), f"{day.day}/{day.month}/{day.year}"):
        assert parse_date(text, REF) == day, text


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_textual_dates_round_trip(day: dt.date) -> None:
    names = [n for n, m in MONTHS.items() if m == day.month]
    first = "1er" if day.day == 1 else str(day.day)
    for name in names:
        assert parse_date(f"{first} {name} {day.year}", REF) == day


@given(st.integers(min_value=0, max_value=400))
def test_relative_dates_never_after_reference(days: int) -> None:
    ref = REF + dt.timedelta(days=days)
    for word in ("hier", "avant-hier", "aujourd'hui", "lundi", "dimanche"):
        found = parse_date(word, ref)
        assert found is not None and found <= ref and (ref - found).days < 7


@pytest.mark.parametrize(
    ("text", "expected"),
    [("14h30", "14:30"), ("14 h 30", "14:30"), ("14:30", "14:30"), ("14h", "14:00"),
     ("16H10", "16:10"), ("9h05", "09:05"), ("vers 9 h", "09:00"), ("14 heures 30", "14:30"),
     ("05/05/2026 à 10h40", "10:40"), ("le 12 mars 2026 vers 14 h 30", "14:30")],
)
def test_times(text: str, expected: str) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["matin", "25h00", "", "12/03/2026"])
def test_unreadable_times(text: str) -> None:
    assert parse_time(text) is None


@given(st.integers(0, 23), st.integers(0, 59))
def test_times_round_trip(hour: int, minute: int) -> None:
    for text in (f"{hour}h{minute:02d}", f"{hour:02d}:{minute:02d}", f"{hour} h {minute:02d}",
                 f"{hour}H{minute:02d}"):
        assert parse_time(text) == f"{hour:02d}:{minute:02d}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Erreur de transfert d'appel", "transfer_error"),
        ("transfert", "transfer_error"),
        ("mauvais transfert", "transfer_error"),
        ("Mal orienté", "transfer_error"),
        ("Information erronée", "wrong_information"),
        ("info erronee", "wrong_information"),
        ("mauvaise information", "wrong_information"),
        ("Autre", "other"),
        ("[X] Erreur de transfert d'appel  [ ] Information erronée  [ ] Autre", "transfer_error"),
        ("[ ] Erreur de transfert d'appel  [x] Information erronée  [ ] Autre",
         "wrong_information"),
        ("☐ Erreur de transfert d'appel ☒ Information erronée ☐ Autre", "wrong_information"),
        ("☐ Erreur de transfert d'appel ☐ Information erronée ☑ Autre", "other"),
        ("( ) Erreur de transfert d'appel (x) Autre", "other"),
        ("Erreur de transfert d'appel X\nInformation erronée\nAutre", "transfer_error"),
        ("Erreur de transfert d'appel : X", "transfer_error"),
    ],
)
def test_categories(text: str, expected: str) -> None:
    assert read_category(text).category == expected


@pytest.mark.parametrize(
    "text",
    ["[ ] Erreur de transfert d'appel [ ] Information erronée [ ] Autre",
     "[X] Erreur de transfert d'appel [X] Information erronée",
     "Erreur de transfert d'appel / Information erronée / Autre",
     "Erreur de transfert d'appel X Information erronée Autre",
     "je ne sais pas"],
)
def test_unclear_categories(text: str) -> None:
    assert read_category(text).category is None


@pytest.mark.parametrize("text", ["", "-", "inconnu", "Inconnue", "non", "néant", "NC", "n/c", " "])
def test_blanks(text: str) -> None:
    assert is_blank(text)


@pytest.mark.parametrize("text", ["Karim B.", "Julien", "Mme Roux"])
def test_not_blank(text: str) -> None:
    assert not is_blank(text)


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Service / mairie déclarant", "service"),
        ("SERVICE / MAIRIE DECLARANT", "service"),
        ("service/mairie  déclarant :", "service"),
        ("Mairie déclarante", "service"),
        ("Nom de l’agent déclarant", "reporter_name"),
        ("Courriel de l'agent déclarant", "reporter_email"),
        ("Date de l'appel (jj/mm/aaaa)", "call_date"),
        ("Date et heure de l'appel", "call_datetime"),
        ("Appel du", "call_date"),
        ("- Heure de l'appel", "call_time"),
        ("• Nature du dysfonctionnement", "category"),
        ("Nom de l'agent 39 75 (si connu)", "agent_3975"),
        ("Agent 3975", "agent_3975"),
        ("Objet de la demande de l'usager", "caller_request"),
        ("Service vers lequel l'appel aurait du etre oriente", "expected_service"),
        ("Service attendu", "expected_service"),
        ("INFORMATION ERRONEE COMMUNIQUEE", "wrong_information"),
        ("Observations", "description"),
        ("Suite donnée / commentaire", "follow_up"),
        ("Cordialement", None),
        ("Bonjour", None),
    ],
)
def test_labels(label: str, field: str | None) -> None:
    assert FORM.match_label(label) == field


SYNONYMS = [s for f in default_form().fields for s in (f.label, *f.synonyms)]


@given(st.sampled_from(SYNONYMS), st.sampled_from(
    [str.upper, str.lower, str.title, lambda s: s + " :", lambda s: "* " + s, lambda s: s + "*"]))
def test_label_folding(label: str, change: object) -> None:
    assert callable(change)
    assert FORM.match_label(change(label)) == FORM.match_label(label) is not None


@given(st.text(max_size=80))
def test_fold_words_is_idempotent(text: str) -> None:
    assert fold_words(fold_words(text)) == fold_words(text)


ORDINAL_WORDS = [
    "premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième",
    "huitième", "neuvième", "dixième", "onzième", "douzième", "treizième", "quatorzième",
    "quinzième", "seizième", "dix-septième", "dix-huitième", "dix-neuvième", "vingtième",
]
ROMANS = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
]


def _mairie(n: int) -> str:
    return "paris-centre" if n <= 4 else f"mairie-{n:02d}"


@pytest.mark.parametrize("n", range(1, 21))
def test_every_arrondissement(n: int, directory: Directory) -> None:
    suffix = "er" if n == 1 else "e"
    texts = [
        f"Mairie du {n}{suffix}", f"MAIRIE DU {n}{suffix.upper()}", f"Mairie du {n}ème",
        f"Mairie du {n}eme arrondissement", f"{n}{suffix} arrondissement", f"{n}{suffix}",
        f"Mairie du {ORDINAL_WORDS[n - 1]}", f"Mairie du {ROMANS[n - 1]}{suffix}",
        f"{ROMANS[n - 1]}{suffix}", f"Mairie du {ROMANS[n - 1]}{suffix} arrondissement",
        f"Accueil - Mairie du {n}{suffix}", f"Mairie de Paris {n}{suffix}", f"750{n:02d}",
    ]
    for text in texts:
        entry = resolve_service(text, directory)
        assert entry is not None and entry.id == _mairie(n), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("DPE", "dpe"), ("dpe", "dpe"), ("Direction de la propreté et de l'eau", "dpe"),
     ("Direction de la propreté et de l’eau (DPE)", "dpe"), ("DVD - voirie", "dvd"),
     ("Direction des familles et de la petite enfance", "dfpe"), ("Paris Centre", "paris-centre"),
     ("Mairie de Paris Centre", "paris-centre"), ("Bibliothèque Václav Havel", None),
     ("", None), ("Service de la vie associative", None)],
)
def test_services(text: str, expected: str | None, directory: Directory) -> None:
    entry = resolve_service(text, directory)
    assert (entry.id if entry else None) == expected


@pytest.mark.parametrize(
    ("subject", "ref"),
    [("RE: [3975-2026-00042] Validation", "3975-2026-00042"),
     ("TR: RE : [3975-2026-00042]", "3975-2026-00042"),
     ("Re: 3975-2026-42", "3975-2026-00042"),
     ("Fiche 3975", None), ("Fwd: fiche", None), ("[13975-2026-00042]", None)],
)
def test_find_reference(subject: str, ref: str | None) -> None:
    assert find_reference(subject, "3975") == ref


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [("Hélène".encode("latin-1"), "iso-8859-1", "Hélène"),
     ("Hélène".encode(), "iso-8859-1", "Hélène"),
     ("l’usagère œuvre".encode("cp1252"), "utf-8", "l’usagère œuvre"),
     ("l’usagère".encode("cp1252"), "iso-8859-1", "l’usagère"),
     ("été €".encode("iso-8859-15"), "iso-8859-15", "été €"),
     ("été".encode(), "x-unknown", "été"),
     ("été".encode("cp1252"), None, "été")],
)
def test_decode_bytes(data: bytes, declared: str | None, expected: str) -> None:
    assert decode_bytes(data, declared) == expected


@given(st.binary(max_size=200), st.sampled_from([None, "utf-8", "latin-1", "bogus", "utf-16"]))
def test_decode_bytes_never_raises(data: bytes, declared: str | None) -> None:
    assert isinstance(decode_bytes(data, declared), str)
