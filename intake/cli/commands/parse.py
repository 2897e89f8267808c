"""`intake parse FILE.eml`: classify one email without touching the database or sending."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import click

from intake.cli.options import config_option, emit_json, settings_from
from intake.runtime import make_parse_context
from intake.worker.pipeline import too_big, too_many_fiches
from parsers import classify
from parsers.model import FicheResult, IgnoredResult, InvalidResult, ReplyResult
from parsers.own import OwnText
from rules.loader import load_rules


@click.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option(
    "--sent",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    multiple=True,
    help="A mail we sent (.eml) that FILE answers: its lines are quoted text, as the worker "
    "reads replies knowing the outbox.",
)
@config_option
def parse(file: Path, as_json: bool, sent: tuple[Path, ...], config_path: Path | None) -> None:
    """Show what intake makes of one raw email (.eml).

    Exit status: 0 for a fiche, an ignored mail or a reply, 1 for an invalid fiche,
    2 for a usage error.

    \b
    Example:
      intake parse fiche.eml --json
      intake parse reponse.eml --sent demande.eml
    """
    settings = settings_from(config_path)
    ctx = make_parse_context(settings, load_rules(settings.path(settings.rules)))
    if sent:
        ctx = dataclasses.replace(ctx, sent=OwnText.of_mails([p.read_bytes() for p in sent]))
    raw = file.read_bytes()
    # The worker's own limits: what it would not read, this does not read either.
    result = too_big(len(raw), settings.max_message_mb) or classify(raw, ctx)
    if isinstance(result, FicheResult):
        result = too_many_fiches(result, settings.max_fiches_per_message) or result
    if as_json:
        emit_json(result.model_dump(mode="json", exclude={"partial"}))
    else:
        click.echo(describe(result))
    sys.exit(1 if isinstance(result, InvalidResult) else 0)


def describe(result: FicheResult | InvalidResult | IgnoredResult | ReplyResult) -> str:
    if isinstance(result, FicheResult):
        lines = [f"{len(result.fiches)} fiche(s)"]
        for fiche in result.fiches:
            lines.append("")
            lines += [f"  {k}: {v}" for k, v in fiche.model_dump(mode="json").items() if v]
        lines += [f"warning: {w.field}: {w.message}" for w in result.warnings]
        return "\n".join(lines)
    if isinstance(result, InvalidResult):
        return "invalid:\n" + "\n".join(f"  {e.field or '-'}: {e.message}" for e in result.errors)
    if isinstance(result, IgnoredResult):
        return f"ignored ({result.reason})"
    words = f" ({', '.join(result.decided_by)})" if result.decided_by else ""
    text = "\n".join(f"  | {line}" for line in (result.new_text or "").splitlines())
    return f"reply to {result.ref}: decision={result.decision}{words}\nnew text:\n{text}".rstrip()
