"""Every tests/emails/NAME.eml gives what NAME.expected.json says (the score_parse format)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from helpers import shipped_parse_context

from parsers import classify
from parsers.context import ParseContext

ROOT = Path(__file__).resolve().parent.parent
EMAILS = ROOT / "tests" / "emails"
CASES = sorted(EMAILS.glob("*.expected.json"))


@pytest.fixture(scope="module")
def ctx() -> ParseContext:
    return shipped_parse_context()


def norm(value: Any) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).replace("’", "'").casefold()
    return " ".join(text.split()).strip(" .;:,")


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 26


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_golden(case: Path, ctx: ParseContext) -> None:
    expected = json.loads(case.read_text(encoding="utf-8"))
    raw = case.with_name(case.name.replace(".expected.json", ".eml")).read_bytes()
    got = classify(raw, ctx).model_dump(mode="json", exclude={"partial"})
    assert got["kind"] == expected["kind"], got
    if expected["kind"] == "fiche":
        assert len(got["fiches"]) == len(expected["fiches"]), got
        for want, have in zip(expected["fiches"], got["fiches"], strict=True):
            for key, value in want.items():
                assert norm(have.get(key)) == norm(value), (key, have)
        assert sorted(w["field"] for w in got["warnings"]) == sorted(expected.get("warnings", []))
        assert sorted(e["field"] for e in got["rejected"]) == sorted(expected.get("rejected", []))
    elif expected["kind"] == "invalid":
        named = {e["field"] for e in got["errors"]}
        assert set(expected["fields"]) <= named, got
        assert all(e["message"] for e in got["errors"])
    elif expected["kind"] == "reply":
        assert got["ref"] == expected["ref"]
        if "decision" in expected:
            assert got["decision"] == expected["decision"], got
        if "not_decision" in expected:
            assert got["decision"] != expected["not_decision"], got
        if "comment_contains" in expected:
            assert norm(expected["comment_contains"]) in (norm(got["comment"]) or ""), got
