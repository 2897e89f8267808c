"""`intake rules check|explain`: validate the rules file, and show why a fiche goes where."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from intake.cli.explanation import describe
from intake.cli.options import config_option, emit_json, settings_from
from intake.config.settings import Settings
from intake.errors import ConfigError, IntakeError
from intake.privacy.masking import mask_all
from intake.runtime import make_parse_context
from intake.store.database import Store
from intake.store.records import Ticket, TicketStatus
from parsers import classify
from parsers.i18n import _
from parsers.model import Fiche, FicheResult, IgnoredResult, InvalidResult
from rules.check import check_text
from rules.explain import explain
from rules.loader import LoadedRules, decode_rules, load_rules, read_rules


@click.group()
def rules() -> None:
    """Check the routing rules and explain their decisions."""


@rules.command("check")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@config_option
def check(file: Path | None, config_path: Path | None) -> None:
    """Validate a rules file and print every mistake as file:line:column: message.

    FILE defaults to the rules file of the configuration. Templates the rules name are
    looked for in the configuration's templates folder. Exit status: 0 when the file is
    valid (one summary line), 1 when it has mistakes, 2 for a usage error.

    \b
    Example:
      intake rules check config/rules.yaml
    """
    settings = _settings(config_path, optional=file is not None)
    path = file or (settings.path(settings.rules) if settings else Path("rules.yaml"))
    templates = settings.path(settings.templates) if settings else None
    result = check_text(path, decode_rules(path, read_rules(path)), templates)
    if result.model is None:
        for problem in result.problems:
            click.echo(str(problem))
        message = _(
            "{count} erreur(s) : corrigez chaque ligne indiquée, puis relancez"
            " `intake rules check` ; les règles en service ne changent pas tant qu'il en reste"
        )
        click.echo(message.format(count=len(result.problems)), err=True)
        sys.exit(1)
    model = result.model
    note = "" if templates else _(" (modèles non vérifiés : aucune configuration trouvée)")
    summary = _(
        "{path} : {entries} entrées dans l'annuaire, {rules} règles, règle par défaut"
        " « {default} » : OK{note}"
    )
    click.echo(
        summary.format(
            path=path,
            entries=len(model.directory),
            rules=len(model.rules),
            default=model.rules[-1].id,
            note=note,
        )
    )


def _settings(config_path: Path | None, *, optional: bool) -> Settings | None:
    try:
        return settings_from(config_path)
    except ConfigError:
        if optional and config_path is None:
            return None  # `rules check FILE` works without any configuration
        raise


@rules.command("explain")
@click.argument(
    "file", required=False, type=click.Path(path_type=Path, exists=True, dir_okay=False)
)
@click.option("--ticket", "ref", help="Explain the routing of a stored ticket instead.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@config_option
def explain_cmd(
    file: Path | None, ref: str | None, as_json: bool, config_path: Path | None
) -> None:
    """Show how the rules route a fiche: each rule's hit or miss, then who receives what.

    Give an email (FILE.eml, parsed as the worker would) or a ticket reference (--ticket,
    the fiche as stored, routed with the rules in force now, the 39 75 agent's name
    masked wherever it appears). The JSON has rule,
    approvers, recipients, cc, redactions, templates, trace, mails and fiche; when an
    email holds several fiches, the others are explained under "others". Exit status 1
    when the email holds no valid fiche.

    \b
    Example:
      intake rules explain fiche.eml
      intake rules explain --ticket 3975-2026-00042 --json
    """
    if (file is None) == (ref is None):
        raise click.UsageError("give either FILE.eml or --ticket REF")
    settings = settings_from(config_path)
    loaded = load_rules(settings.path(settings.rules), settings.path(settings.templates))
    if ref is not None:
        ticket, fiche = _ticket_fiche(settings, ref)
        # Routed with the real fiche, shown without the 39 75 agent's name in any form.
        data = mask_all(explain(fiche, loaded), ticket.agent_3975)
        data["routed_with"] = {"rule": ticket.rule_id, "rules_version": ticket.rules_version}
        _show([data], loaded, as_json)
        if not as_json and ticket.rules_version != loaded.version:
            click.echo(
                f"\nnote: {ref} was routed by rule {ticket.rule_id!r} of rules version"
                f" {ticket.rules_version}; the rules have changed since."
            )
        return
    assert file is not None
    result = classify(file.read_bytes(), make_parse_context(settings, loaded))
    if isinstance(result, FicheResult):
        _show([explain(f, loaded) for f in result.fiches], loaded, as_json)
        return
    if as_json:
        emit_json(result.model_dump(mode="json", exclude={"partial"}))
    elif isinstance(result, InvalidResult):
        click.echo("not routed: invalid fiche, the sender is asked to fix")
        click.echo("\n".join(f"  {e.field or '-'}: {e.message}" for e in result.errors))
    elif isinstance(result, IgnoredResult):
        click.echo(f"not routed: ignored ({result.reason})")
    else:
        click.echo(f"not routed: a reply to {result.ref}, kept on that ticket")
    sys.exit(1)


def _show(items: list[dict[str, Any]], loaded: LoadedRules, as_json: bool) -> None:
    if as_json:
        emit_json({"kind": "fiche", **items[0], "others": items[1:]})
        return
    for n, data in enumerate(items, 1):
        if len(items) > 1:
            click.echo(f"{'' if n == 1 else chr(10)}=== fiche {n} of {len(items)}")
        click.echo(describe(data, loaded))


def _ticket_fiche(settings: Settings, ref: str) -> tuple[Ticket, Fiche]:
    store = Store(settings.path(settings.database))
    try:
        ticket = store.ticket_by_ref(ref)
    finally:
        store.close()
    if ticket is None:
        raise IntakeError(f"no ticket {ref}; see `intake tickets list`")
    if ticket.status == TicketStatus.INVALID:
        raise IntakeError(f"{ref} is an invalid fiche: it was never routed")
    stored = ticket.as_dict()
    fields = {k: stored[k] for k in Fiche.model_fields if stored.get(k) is not None}
    try:
        return ticket, Fiche.model_validate(fields)
    except ValidationError as exc:
        raise IntakeError(f"{ref}: the stored fiche cannot be read back: {exc}") from exc
