"""`intake outbox list|retry`: what is waiting to go out, and the mails that could not."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from intake.cli.commands.run import delivered
from intake.cli.options import config_option, emit_json, settings_from, store_from
from intake.cli.tables import table
from intake.clock import system_clock
from intake.config.settings import Settings
from intake.runtime import loop_limits, open_outbox
from intake.store.database import Store
from intake.store.queues import deferred
from intake.worker.lock import LockHeld, WorkerLock
from outbox.deliver import Courier

COLUMNS = (
    "id",
    "ticket_id",
    "template",
    "recipients",
    "status",
    "attempts",
    "last_error",
    "created_at",
    "next_attempt_at",
    "sent_at",
)


#: The statuses `retry` puts back in the queue.
RETRIED = ("failed", "held", "suppressed")


@click.group()
def outbox() -> None:
    """Mails waiting to be sent, and those given up on (status `failed`)."""


@outbox.command("list")
@click.option(
    "--status",
    default="failed",
    show_default=True,
    type=click.Choice(["pending", "sending", "held", "failed", "sent", "all"]),
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@config_option
def list_mails(status: str, as_json: bool, config_path: Path | None) -> None:
    """List outgoing mails; by default those that failed for good (the dead letters).

    `held`: mails waiting because a delivery failure report suppressed an address (the
    error column says until when); `intake outbox retry` lifts it.

    \b
    Example:
      intake outbox list --status pending
    """
    store = store_from(config_path)
    rows = store.mails(None if status == "all" else status)
    if status == "held":  # and those of before, dropped for a suppressed address
        rows += store.mails("suppressed")
    if as_json:
        emit_json([{k: row[k] for k in COLUMNS} for row in (r.as_dict() for r in rows)])
        return
    if not rows:
        click.echo(f"no mail with status {status}")
        return
    click.echo(
        table(
            ["ID", "STATUS", "TEMPLATE", "TO", "ATTEMPTS", "LAST ERROR"],
            [
                (
                    r.id,
                    r.status,
                    r.template,
                    ", ".join(r.recipients),
                    r.attempts,
                    (r.last_error or "")[:60],
                )
                for r in rows
            ],
        )
    )


@outbox.command("retry")
@click.argument("mail_ids", nargs=-1, type=int)
@click.option("--all", "retry_all", is_flag=True, help="Retry every failed or held mail.")
@click.option(
    "--deferred",
    "send_deferred",
    is_flag=True,
    help="Send now every mail waiting for its next attempt (after an SMTP outage is over).",
)
@config_option
def retry(
    mail_ids: tuple[int, ...], retry_all: bool, send_deferred: bool, config_path: Path | None
) -> None:
    """Put failed or held mails back in the queue, e.g. after fixing an address or the SMTP
    server, or once a suppressed address is known to work again (its suppression is lifted).

    The next `intake run` (or the running worker) sends them, same bytes, same Message-ID.
    With --deferred, the mails that wait for a retry after a temporary failure (up to an
    hour apart) are sent at once instead: by this command when no worker runs, else by the
    worker at its next poll.

    \b
    Example:
      intake outbox retry 12 13
      intake outbox retry --all
      intake outbox retry --deferred
    """
    if (bool(mail_ids) + retry_all + send_deferred) != 1:
        click.echo("error: give mail ids, --all or --deferred (see `intake outbox list`)", err=True)
        sys.exit(2)
    if send_deferred:
        _send_deferred(settings_from(config_path))
        return
    store = store_from(config_path)
    failed = {r.id: r for s in RETRIED for r in store.mails(s)}
    wanted = list(failed) if retry_all else list(mail_ids)
    unknown = [i for i in wanted if i not in failed]
    if unknown:
        click.echo(
            f"error: neither failed nor held mails: {unknown}; see `intake outbox list`", err=True
        )
        sys.exit(1)
    now, actor = system_clock().isoformat(), getpass.getuser()
    with store.transaction():
        for mail_id in wanted:
            mail = failed[mail_id]
            store.update_mail(mail_id, status="pending", attempts=0, next_attempt_at=None)
            store.add_event(
                at=now, actor=actor, kind="mail_retry", ticket_id=mail.ticket_id, mail_id=mail_id
            )
            if mail.status == "failed":
                continue
            for address in mail.recipients:
                if store.lift_suppression(address.lower()):
                    store.add_event(
                        at=now,
                        actor=actor,
                        kind="suppression_lifted",
                        ticket_id=mail.ticket_id,
                        mail_id=mail_id,
                        address=address,
                    )
    click.echo(f"{len(wanted)} mail(s) queued again")


def _send_deferred(settings: Settings) -> None:
    database = settings.path(settings.database)
    store = Store(database)
    try:
        now = system_clock().isoformat()
        waiting = [m for m in store.mails("pending") if (m.next_attempt_at or "") > now]
        with store.transaction():
            for mail in waiting:
                store.update_mail(mail.id, next_attempt_at=None)
                store.add_event(
                    at=now,
                    actor=getpass.getuser(),
                    kind="mail_retry",
                    ticket_id=mail.ticket_id,
                    mail_id=mail.id,
                )
        click.echo(f"{len(waiting)} mail(s) waiting for a retry are due now")
        try:
            with WorkerLock(database):
                sender = open_outbox(settings)
                courier = Courier(
                    store, sender, settings.sender_address, system_clock, loop_limits(settings)
                )
                click.echo("\n".join(delivered(sender.label, courier.finish())))
        except LockHeld:
            click.echo(
                f"the running worker sends them at its next poll (within "
                f"{settings.poll_seconds} s); see `intake status`"
            )
            return
        # Refused again (the server is still out): they wait for their next attempt.
        left = deferred(store, system_clock().isoformat())
        if left.count:
            click.echo(left.describe())
    finally:
        store.close()
