"""Every `intake` command, in one list: a new command is a module in commands/ and a line here."""

from __future__ import annotations

import click

from intake.cli.commands import (
    backfill,
    demo,
    digest,
    directory,
    doctor,
    export,
    form,
    init,
    outbox,
    parse,
    purge,
    quarantine,
    reprocess,
    run,
    schema,
    stats,
    status,
    tickets,
)
from intake.cli.commands import rules as rules_commands

COMMANDS: tuple[click.Command, ...] = (
    run.run,
    parse.parse,
    demo.demo,
    tickets.tickets,
    form.form,
    rules_commands.rules,
    directory.directory,
    outbox.outbox,
    schema.schema,
    quarantine.quarantine,
    # operating a deployment: set up, check, watch, catch up
    init.init,
    doctor.doctor,
    status.status,
    backfill.backfill,
    reprocess.reprocess,
    # quality figures and personal data
    stats.stats,
    purge.purge_cmd,
    digest.digest,
    export.export,
)
