"""The parser on generated fiche variants (tests/variants): regression floors and the goal.

Fixed seeds, so each run judges the same emails. Two label profiles are measured:

- "known": labels reworded only by the classes form.yaml's matching was built for (its
  synonyms, hints in brackets, accents dropped, case), every value writing and presentation;
- "all": every class of rewording (word order, telegraphic style, abbreviations, plural and
  feminine forms, extra words too).

FLOORS are what the parser reaches today, a little lowered: a change that reads fewer fields
or refuses more valid fiches on a presentation turns a test red. Raise them as readers land.

THE GOAL is checked in `test_goal`: 99 % of fields read right and no valid fiche answered
invalid (« fiche incomplète »), no wrong value accepted silently, on every class. It is an
expected failure until the parser gets there (xfail, not strict: it turns XPASS on its own).
"""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import shipped_parse_context
from variants import PRESENTATIONS, generate
from variants.measure import Tally, judge
from variants.wording import ALL_CLASSES, KNOWN_CLASSES

from parsers import classify
from parsers.context import ParseContext
from parsers.form import FormDefinition, default_form

SEEDS = (11, 12, 13)
#: Four fiches per presentation and seed.
COUNT = 4 * len(PRESENTATIONS)
GOAL_ACCURACY = 0.99

#: presentation -> (lowest field accuracy, most valid fiches answered invalid over SEEDS),
#: for the "known" label profile.
FLOORS: dict[str, tuple[float, int]] = {
    "body": (0.98, 1),
    "csv-header-row": (0.98, 1),
    "csv-rows": (0.98, 1),
    "docx-2col": (0.98, 1),
    "docx-4col": (0.98, 1),
    "docx-labels-above": (0.98, 1),
    "docx-paragraphs": (0.98, 1),
    "docx-section-column": (0.96, 3),
    "html-4col": (0.98, 1),
    "html-paragraphs": (0.98, 1),
    "html-table": (0.98, 1),
    "ods-rows": (0.98, 1),
    "odt-paragraphs": (0.98, 1),
    "odt-table": (0.98, 1),
    "xlsx-header-row": (0.98, 1),
    "xlsx-rows": (0.98, 1),
    "xlsx-sections": (0.98, 1),
}
#: profile -> (lowest overall field accuracy, most fiches accepted with a silent misread)
OVERALL = {"known": (0.99, 1), "all": (0.99, 2)}
PROFILES = {"known": KNOWN_CLASSES, "all": ALL_CLASSES}


@pytest.fixture(scope="module")
def ctx() -> ParseContext:
    return shipped_parse_context()


def measure(ctx: ParseContext, profile: str) -> Tally:
    tally = Tally()
    for seed in SEEDS:
        for variant in generate(seed, COUNT, directory=ctx.directory,
                                label_classes=PROFILES[profile]):
            judgement = judge(classify(variant.raw, ctx), variant.fiche.expected)
            tally.add(variant.presentation, judgement, variant.field_classes())
    return tally


@pytest.fixture(scope="module")
def tallies(ctx: ParseContext) -> dict[str, Tally]:
    return {profile: measure(ctx, profile) for profile in PROFILES}


def test_same_seed_same_bytes(ctx: ParseContext) -> None:
    first = [v.raw for v in generate(5, len(PRESENTATIONS), directory=ctx.directory)]
    again = [v.raw for v in generate(5, len(PRESENTATIONS), directory=ctx.directory)]
    other = [v.raw for v in generate(6, len(PRESENTATIONS), directory=ctx.directory)]
    assert first == again
    assert all(a != b for a, b in zip(first, other, strict=True))


def test_expected_values_are_a_valid_fiche(ctx: ParseContext) -> None:
    for variant in generate(21, 3 * len(PRESENTATIONS), directory=ctx.directory):
        want = variant.fiche.expected
        assert ctx.directory.get(want["service_id"]) is not None
        assert want["category"] in {"transfer_error", "wrong_information", "other"}
        call = dt.date.fromisoformat(str(want["call_date"]))
        assert call <= variant.fiche.sent.date(), variant.name
        assert want["call_time"] is None or len(str(want["call_time"])) == 5
        assert want["description"] and want["service"] and want["reporter_email"]


def test_labels_come_from_the_form(ctx: ParseContext) -> None:
    """An admin's new printed label is what the generator writes: no copy of the labels."""
    raw = default_form().model_dump()
    raw["fields"][0]["label"] = "Entité qui signale"
    form = FormDefinition.model_validate(raw)
    for variant in generate(1, 5, directory=ctx.directory, form=form, label_classes=frozenset()):
        service = next(line for line in variant.fiche.lines if line.field == "service")
        assert service.label.text == "Entité qui signale"


@pytest.mark.parametrize("presentation", sorted(PRESENTATIONS))
def test_presentation_floor(presentation: str, tallies: dict[str, Tally]) -> None:
    tally = tallies["known"]
    accuracy_floor, most_rejected = FLOORS[presentation]
    accuracy = Tally.accuracy(tally.by_presentation[presentation])
    assert accuracy >= accuracy_floor, f"{presentation}: {accuracy:.1%} of fields read right"
    assert tally.rejected_by[presentation] <= most_rejected


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_overall_floor(profile: str, tallies: dict[str, Tally]) -> None:
    tally = tallies[profile]
    accuracy_floor, most_silent = OVERALL[profile]
    assert tally.field_accuracy >= accuracy_floor
    assert tally.silent_fiches <= most_silent


@pytest.mark.xfail(strict=False, reason="labels, layouts and check boxes not all read yet")
@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_goal(profile: str, tallies: dict[str, Tally]) -> None:
    """The goal: 99 % of fields, no valid fiche answered invalid, no silent misread."""
    tally = tallies[profile]
    assert tally.field_accuracy >= GOAL_ACCURACY
    assert tally.rejected == 0
    assert tally.silent_fiches == 0
