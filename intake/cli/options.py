"""What every `intake` command shares: the --config option, the settings and database it
names, JSON output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from intake.config.settings import Settings, find_config, load_settings
from intake.store.database import Store

F = TypeVar("F", bound=Callable[..., Any])


def config_option(func: F) -> F:
    """Every command takes --config, so it can be given after the command name too."""
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="intake.yaml to use (default: $INTAKE_CONFIG, ./intake.yaml, ./config/intake.yaml).",
    )(func)


def settings_from(config_path: Path | None) -> Settings:
    ctx = click.get_current_context()
    path = config_path or (ctx.obj or {}).get("config_path")
    return load_settings(find_config(path))


def store_from(config_path: Path | None) -> Store:
    """The database of the configuration, for commands that need nothing else."""
    settings = settings_from(config_path)
    return Store(settings.path(settings.database))


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
