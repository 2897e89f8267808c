"""Files shipped inside the installed package: the repository's config/ folder.

setuptools installs config/ as the package `intake_3975_config` (see pyproject.toml), so the
defaults are found the same way from a checkout, a wheel or a pipx install, from any folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = "intake_3975_config"


def shipped(*parts: str) -> Path:
    """The shipped file or folder `parts` (e.g. "templates", "fr"), as a path on disk."""
    path = resources.files(PACKAGE).joinpath(*parts)
    if not isinstance(path, Path):
        # pip and pipx install packages as folders; a zipped install has no paths to give.
        raise RuntimeError(f"{PACKAGE} is not installed as a folder: reinstall intake-3975")
    return path
