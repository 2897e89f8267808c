"""Measures the parser on generated variants and on the office-made golden files.

    python -m tests.variants --seed 1000 --count 500
    python -m tests.variants --seeds 7001-7020 --count 50 --labels printed --no-office
    python -m tests.variants --seed 7001 --count 200 --presentation body --dump /tmp/misread

Prints field accuracy per presentation, per field and per class of variation, the valid
fiches answered invalid ("incomplète") and the wrong values accepted without a warning.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from parsers import classify
from tests.helpers import shipped_parse_context

from . import PRESENTATIONS, generate
from .golden import OFFICE, golden_cases, golden_mail
from .measure import Judgement, Tally, judge
from .wording import ALL_CLASSES, KNOWN_CLASSES

LABEL_PROFILES = {"all": ALL_CLASSES, "known": KNOWN_CLASSES, "printed": frozenset()}


def _seeds(args: argparse.Namespace) -> list[int]:
    if args.seeds:
        first, _, last = args.seeds.partition("-")
        return list(range(int(first), int(last or first) + 1))
    return [args.seed]


def _line(name: str, counts: Counter[str], width: int = 34) -> str:
    total = sum(counts[k] for k in ("ok", "wrong", "lost", "spurious"))
    return (f"  {name:<{width}} {Tally.accuracy(counts):7.1%}  of {total:5d}"
            f"   wrong {counts['wrong']:4d}  lost {counts['lost']:4d}"
            f"  spurious {counts['spurious']:3d}")


def report(title: str, tally: Tally, classes: int) -> None:
    print(f"\n== {title}: {tally.fiches} fiches")
    print(f"  field accuracy {tally.field_accuracy:.2%}   valid fiches answered invalid: "
          f"{tally.rejected} ({tally.rejected / max(tally.fiches, 1):.1%})   accepted with a wrong"
          f" value and no warning: {tally.silent_fiches} fiches, {tally.silent_fields} fields")
    print(" per presentation (fiches answered invalid in brackets):")
    for name, counts in sorted(tally.by_presentation.items()):
        label = f"{name} [{tally.rejected_by[name]}/{counts['fiches']}]"
        print(_line(label, counts))
    print(" per field:")
    for name, counts in tally.by_field.items():
        print(_line(name, counts))
    if classes:
        print(f" the {classes} classes of variation read worst (at least 10 fields):")
        worst = sorted((Tally.accuracy(c), k) for k, c in tally.by_class.items()
                       if sum(c.values()) >= 10)
        for _, name in worst[:classes]:
            print(_line(name, tally.by_class[name], 52))


def _dump(folder: Path, name: str, raw: bytes, expected: dict, judgement: Judgement) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.eml").write_bytes(raw)
    (folder / f"{name}.json").write_text(json.dumps(
        {"expected": expected, "judgement": judgement.fields, "got": judgement.got,
         "messages": judgement.messages}, ensure_ascii=False, indent=1, default=str),
        encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.variants", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--seeds", help="a range of seeds, e.g. 7001-7020")
    parser.add_argument("--count", type=int, default=500, help="variants per seed")
    parser.add_argument("--presentation", action="append", choices=sorted(PRESENTATIONS))
    parser.add_argument("--labels", choices=sorted(LABEL_PROFILES), default="all",
                        help="label changes: all, known (the ones form.yaml's matching was built"
                        " for) or printed (the printed labels only, to isolate value and layout"
                        " classes)")
    parser.add_argument("--office", type=Path, default=OFFICE,
                        help="the office-made golden files to measure too (default tests/office)")
    parser.add_argument("--no-office", action="store_true", help="measure the variants only")
    parser.add_argument("--classes", type=int, default=25, help="worst classes to list")
    parser.add_argument("--dump", type=Path, help="write each misread variant here (.eml, .json)")
    args = parser.parse_args()
    ctx = shipped_parse_context()
    tally = Tally()
    for seed in _seeds(args):
        for variant in generate(seed, args.count, directory=ctx.directory,
                                presentations=args.presentation,
                                label_classes=LABEL_PROFILES[args.labels]):
            judgement = judge(classify(variant.raw, ctx), variant.fiche.expected)
            tally.add(variant.presentation, judgement, variant.field_classes())
            if args.dump and (judgement.rejected or set(judgement.fields.values()) - {"ok"}):
                _dump(args.dump, variant.name, variant.raw, variant.fiche.expected, judgement)
    title = f"variants, seeds {args.seeds or args.seed}, {args.count} each, labels {args.labels}"
    if tally.fiches:
        report(title, tally, args.classes)
    if not args.no_office:
        office = Tally()
        print()
        for case in golden_cases(args.office):
            expected = case.expected["fiche"]
            judgement = judge(classify(golden_mail(case), ctx), expected)
            office.add(case.format, judgement, {})
            bad = {k: v for k, v in judgement.fields.items() if v != "ok"}
            print(f"  {case.path.name:<44} {judgement.kind:<8} {bad or 'all fields read'}")
        report(f"office golden files in {args.office}", office, 0)


if __name__ == "__main__":
    main()
