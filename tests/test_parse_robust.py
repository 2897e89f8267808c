"""classify never raises, whatever the bytes; a few behaviours the golden files do not pin."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import shipped_parse_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import classify
from parsers.model import FicheResult, IgnoredResult, InvalidResult, ReplyResult
from parsers.reply import read_reply
from parsers.wordings import default_wordings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "tests" / "emails").glob("*.eml"))
CTX = shipped_parse_context()
RESULTS = (FicheResult, InvalidResult, IgnoredResult, ReplyResult)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes(raw: bytes) -> None:
    assert isinstance(classify(raw, CTX), RESULTS)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.sampled_from(SAMPLES), st.integers(0, 10_000), st.integers(1, 400), st.binary(max_size=30)
)
def test_mangled_samples(path: Path, start: int, length: int, junk: bytes) -> None:
    raw = path.read_bytes()
    start %= max(len(raw), 1)
    mangled = raw[:start] + junk + raw[start + length :]
    result = classify(mangled, CTX)
    assert isinstance(result, RESULTS)
    result.model_dump(mode="json")


def test_invalid_keeps_partial() -> None:
    raw = (ROOT / "tests" / "emails" / "05-invalid-missing.eml").read_bytes()
    result = classify(raw, CTX)
    assert isinstance(result, InvalidResult)
    assert result.partial["service_id"] == "mairie-14"
    assert all("manquante" in e.message for e in result.errors)


def test_relative_date_uses_received_at() -> None:
    raw = (
        "From: A <a@paris.fr>\nSubject: fiche\nContent-Type: text/plain; charset=utf-8\n\n"
        "Service déclarant : Mairie du 12e\nDate de l'appel : hier\n"
        "Type de dysfonctionnement : Autre\nDescription : test\n"
    ).encode()
    when = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
    result = classify(raw, CTX, received_at=when)
    assert isinstance(result, FicheResult)
    assert result.fiches[0].call_date == dt.date(2026, 3, 9)
    assert result.fiches[0].reporter_name == "A"


@pytest.mark.parametrize(
    ("text", "decision"),
    [
        ("Approuvé.", "approve"), ("OK", "approve"), ("ok pour moi", "approve"),
        ("D'accord", "approve"), ("Bon pour accord", "approve"), ("Oui", "approve"),
        ("Bonjour,\n\nje valide.\n\nCordialement", "approve"), ("VALIDÉ", "approve"),
        ("Refusé : pas une erreur", "reject"), ("Non", "reject"), ("Je refuse.", "reject"),
        ("Rejeté", "reject"), ("Pas d'accord, c'était le bon service", "reject"),
        ("Je ne valide pas", "reject"), ("pas validé", "reject"), ("Je n'approuve pas.", "reject"),
        ("Je ne suis pas d'accord", "reject"),
        ("Dois-je valider ?", None), ("Merci, je regarde.", None), ("", None),
        ("> Approuvé\n", None),
        ("Je regarde.\n\nLe lun. 2 mars 2026, X <x@y.fr> a écrit :\n> Approuvez", None),
    ],
)
def test_decisions(text: str, decision: str | None) -> None:
    assert read_reply(text, default_wordings()).decision == decision
