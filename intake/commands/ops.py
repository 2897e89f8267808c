"""The commands an operator runs a deployment with: set up, check, watch, catch up."""

from __future__ import annotations

import click


def commands() -> tuple[click.Command, ...]:
    from intake.commands import backfill, doctor, init, reprocess, status

    return (init.init, doctor.doctor, status.status, backfill.backfill, reprocess.reprocess)
