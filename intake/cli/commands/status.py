"""`intake status`: the worker's last poll and what is waiting, at a glance."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import click

from intake.cli.options import config_option, emit_json, settings_from
from intake.cli.tables import table
from intake.errors import ConfigError
from intake.store import worker_state as state
from intake.store.database import Store
from intake.store.queues import deferred, queues


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@config_option
def status(as_json: bool, config_path: Path | None) -> None:
    """The worker's last poll, and each queue with its size and oldest item.

    Queues: tickets waiting for approval, mails waiting to go out, mails given up
    (failed), quarantined messages, and messages stored but not processed yet. Exit
    status 2 when there is no database yet (the worker has never run).

    \b
    Example:
      intake status
      intake status --json
    """
    settings = settings_from(config_path)
    path = settings.path(settings.database)
    if not path.exists():
        raise ConfigError(f"no database at {path}: the worker has not run yet (`intake run`)")
    store = Store(path)
    try:
        worker, found = state.read(store), queues(store)
        waiting = deferred(store, dt.datetime.now(dt.UTC).isoformat())
    finally:
        store.close()
    if as_json:
        emit_json(
            {
                "worker": worker,
                "queues": [dataclasses.asdict(q) for q in found],
                "deferred": dataclasses.asdict(waiting),
            }
        )
        return
    now = dt.datetime.now(dt.UTC)
    click.echo(_worker_line(worker, now))
    click.echo("")
    rows = [
        (q.name, q.count, q.oldest or "-", _since(q.oldest_at, now), q.see if q.count else "")
        for q in found
    ]
    click.echo(table(["QUEUE", "COUNT", "OLDEST", "SINCE", "SEE"], rows))
    if waiting.count:
        click.echo(f"\n{waiting.describe()}")


def _worker_line(worker: dict[str, str], now: dt.datetime) -> str:
    last = worker.get(state.LAST_POLL)
    if not last:
        return "worker: no poll recorded yet (start it: `intake run`, `systemctl start intake`)"
    lines = [f"worker: last poll {_since(last, now)}: {worker.get(state.LAST_RESULT, '')}"]
    if worker.get(state.LAST_ERROR):
        lines.append(f"  mailbox unavailable at that poll: {worker[state.LAST_ERROR]}")
    if worker.get(state.STARTED):
        stopped = worker.get(state.STOPPED)
        pid = worker.get(state.PID, "?")
        lines.append(
            f"  stopped {_since(stopped, now)}"
            if stopped
            else f"  running since {_since(worker[state.STARTED], now)} (pid {pid})"
        )
    return "\n".join(lines)


def _since(at: str | None, now: dt.datetime) -> str:
    if not at:
        return "-"
    when = dt.datetime.fromisoformat(at)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    seconds = max(0, int((now - when).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            ago = f"{seconds // size} {unit}"
            break
    else:
        ago = f"{seconds} s"
    return f"{when.astimezone().strftime('%Y-%m-%d %H:%M')} ({ago} ago)"
