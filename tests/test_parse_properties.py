"""Properties of dates, times and labels over many generated spellings (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from parsers.fold import strip_accents
from parsers.form import default_form
from parsers.values import MONTHS, WEEKDAYS, parse_date, parse_time

REF = dt.date(2026, 3, 14)
FORM = default_form()
LABELS = [(f.name, s) for f in FORM.fields for s in (f.label, *f.synonyms)]
MONTH_NAMES = {m: n for n, m in reversed(list(MONTHS.items()))}  # the full names
days = st.dates(min_value=dt.date(2001, 1, 1), max_value=REF)
clock = st.tuples(st.integers(0, 23), st.integers(0, 59))


@given(days, clock, st.sampled_from(["le {d} à {t}", "{d} vers {t}", "{d}, {t}", "{d} {t}"]))
def test_combined_date_and_time(day: dt.date, hm: tuple[int, int], shape: str) -> None:
    hour, minute = hm
    for date_text in (f"{day:%d/%m/%Y}", f"{day.day} {MONTH_NAMES[day.month]} {day.year}"):
        times = (f"{hour}h{minute:02d}", f"{hour} h {minute:02d}", f"{hour:02d}:{minute:02d}")
        for time_text in times:
            text = shape.format(d=date_text, t=time_text)
            assert parse_date(text, REF) == day, text
            assert parse_time(text) == f"{hour:02d}:{minute:02d}", text


@given(st.integers(0, 6), st.integers(0, 60))
def test_weekday_is_the_latest_such_day(weekday: int, back: int) -> None:
    ref = REF - dt.timedelta(days=back)
    name = next(n for n, i in WEEKDAYS.items() if i == weekday)
    found = parse_date(f"{name.capitalize()} dernier", ref)
    assert found is not None and found.weekday() == weekday and 0 <= (ref - found).days < 7


@given(st.integers(0, 23), st.integers(0, 59), st.sampled_from(["h", "H", " h ", ":", " heures "]))
def test_any_clock_reading(hour: int, minute: int, sep: str) -> None:
    assert parse_time(f"vers {hour}{sep}{minute:02d}") == f"{hour:02d}:{minute:02d}"


@given(st.sampled_from(["32/01/2026", "00/05/2026", "29/02/2025", "31/04/2026", "12/13/2026"]))
def test_impossible_dates_are_not_read(text: str) -> None:
    assert parse_date(text, REF) is None


spacing = st.sampled_from([" ", "  ", "\u00a0", " \t"])


@given(
    st.sampled_from(LABELS),
    st.sampled_from([str.upper, str.lower, strip_accents, lambda s: s.replace("'", "’")]),
    spacing,
    st.sampled_from(["", " :", ":", " *", " (si connu)", " (jj/mm/aaaa) :", "\u00a0:"]),
    st.sampled_from(["", "- ", "• ", "1. ", "* "]),
)
def test_every_label_matches_however_written(
    label: tuple[str, str], change: object, space: str, tail: str, bullet: str
) -> None:
    name, text = label
    assert callable(change)
    written = bullet + str(change(text)).replace(" ", space) + tail
    assert FORM.match_label(written) == name, written


@given(st.text(alphabet=st.characters(categories=["Ll", "Lu", "Zs", "Nd"]), max_size=40))
def test_label_matching_never_raises_and_is_stable(text: str) -> None:
    found = FORM.match_label(text)
    assert found is None or FORM.match_label(text.upper()) == found
