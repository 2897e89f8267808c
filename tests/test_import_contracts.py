"""The import contracts of pyproject.toml (run by scripts/test) hold for the tree, and break on
the two mistakes they are there to catch: a library importing the application, and a cycle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("intake", "parsers", "rules", "outbox")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on a copy of the packages: the copy comes first on the path, before the
    installed checkout."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_tree_keeps_every_contract(tree: Path) -> None:
    done = lint_imports(tree)
    assert done.returncode == 0, done.stdout
    assert "5 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken", "names"),
    [
        (
            "parsers/fold.py",
            "import intake.errors",
            "parsers imports none of ours BROKEN",
            "parsers.fold -> intake.errors",
        ),
        (
            "outbox/render.py",
            "import intake.store.database",
            "parsers imports none of ours BROKEN",
            "outbox.render -> intake.store.database",
        ),
        (
            "intake/store/queues.py",
            "import intake.cli.main",
            "sub-packages) of intake BROKEN",
            ".store -> .cli",
        ),
    ],
    ids=["library imports the application", "outbox imports the store", "cycle in intake"],
)
def test_a_back_arrow_or_a_cycle_breaks_a_contract(
    tree: Path, module: str, line: str, broken: str, names: str
) -> None:
    with (tree / module).open("a", encoding="utf-8") as source:
        source.write(f"\n{line}  # noqa\n")
    done = lint_imports(tree)
    assert done.returncode == 1
    assert broken in done.stdout
    assert names in done.stdout
