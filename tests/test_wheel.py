"""The wheel installed as a user would: a fresh venv outside the checkout, any folder.

The source is copied first so that no `build/` left in the checkout can slip stale files into
the wheel; the fresh venv gets the dependencies from pip (its cache, else the index).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
from helpers import REPO

PACKAGES = ("intake", "parsers", "rules", "outbox")
SOURCES = (*PACKAGES, "config", "pyproject.toml", "README.md")
DATA_PACKAGE = "intake_3975_config"


def _tracked(folder: Path) -> list[Path]:
    return [
        p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    ]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        origin = REPO / name
        if origin.is_dir():
            shutil.copytree(origin, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, src / name)
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            str(src),
            "-w",
            str(dist),
        ],
        check=True,
    )
    (built,) = dist.glob("intake_3975-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bin/ folder of a fresh venv holding the wheel and nothing of the checkout."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
    )
    yield venv / "bin"


def run(
    bin_dir: Path, cwd: Path, *args: str, language: str = "fr"
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTAKE_", "PYTHON"))}
    env["PATH"] = f"{bin_dir}:{env.get('PATH', '')}"
    env["LANGUAGE"] = language
    return subprocess.run(
        [str(bin_dir / args[0]), *args[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_wheel_holds_every_module_and_every_shipped_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        str(p.relative_to(REPO))
        for pkg in PACKAGES
        for p in _tracked(REPO / pkg)
        if p.suffix in (".py", ".mo")
    }
    expected |= {
        f"{DATA_PACKAGE}/{p.relative_to(REPO / 'config')}" for p in _tracked(REPO / "config")
    }
    missing = sorted(expected - names)
    assert not missing, f"not in the wheel (see [tool.setuptools] in pyproject.toml): {missing}"


def test_installed_wheel_runs_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    where = run(installed, tmp_path, "python", "-c", "import intake; print(intake.__file__)")
    assert where.stdout.startswith(str(installed.parent)), where.stdout
    assert not where.stdout.startswith(str(REPO))

    assert run(installed, tmp_path, "intake", "--version").stdout.strip() == (
        f"intake {version('intake-3975')}"
    )

    init = run(installed, tmp_path, "intake", "init")
    assert init.returncode == 0, init.stderr
    assert (tmp_path / "templates" / "fr" / "demande-validation.txt.j2").is_file()

    check = run(installed, tmp_path, "intake", "rules", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "rules.yaml : " in check.stdout and "entrées dans l'annuaire" in check.stdout
    rules = tmp_path / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "routnig_rules: []\n", encoding="utf-8")
    typo = run(installed, tmp_path, "intake", "rules", "check", language="en")
    assert typo.returncode == 1 and "unknown key 'routnig_rules'" in typo.stdout  # the .mo
    rules.write_text(rules.read_text(encoding="utf-8").replace("routnig_rules: []\n", ""))

    form = run(installed, tmp_path, "intake", "form", "--format", "docx", "-o", "fiche.docx")
    assert form.returncode == 0, form.stderr
    assert zipfile.is_zipfile(tmp_path / "fiche.docx")

    demo = run(installed, tmp_path, "intake", "demo", "--dir", "demo")
    assert demo.returncode == 0, demo.stderr
    assert "forwarded" in demo.stdout and "pending_approval" in demo.stdout
    assert sorted((tmp_path / "demo" / "outbox").glob("*.eml"))

    doctor = run(installed, tmp_path, "intake", "doctor")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
