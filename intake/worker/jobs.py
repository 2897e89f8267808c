"""The worker's periodic privacy and quality jobs: the daily purge and the weekly digest.

A failing job is logged and tried again at its next turn; it never stops the worker.
"""

from __future__ import annotations

import logging
import sqlite3

from intake.clock import Clock
from intake.config.settings import Settings
from intake.errors import USER_ERRORS
from intake.operations.retention import outbox_folder, plan_purge, purge
from intake.reports.digest import weekly_digest
from intake.runtime import Runtime
from intake.store.database import Store

log = logging.getLogger(__name__)

#: What a job may fail with and be tried again at its next turn.
RETRIED: tuple[type[Exception], ...] = (*USER_ERRORS, sqlite3.Error, OSError)


def daily_purge(store: Store, settings: Settings, clock: Clock) -> None:
    try:
        plan = plan_purge(store, clock(), settings.retention_days)
        if plan.tickets or plan.messages:
            purge(
                store,
                plan,
                now=clock().isoformat(),
                actor="system",
                outbox_dir=outbox_folder(settings),
            )
            log.info("retention: personal data of %d ticket(s) erased", len(plan.tickets))
    except RETRIED as exc:
        log.error("retention purge failed, will retry tomorrow: %s", exc)


def weekly_job(rt: Runtime) -> None:
    try:
        weekly_digest(rt)
    except RETRIED as exc:
        log.error("weekly digest not queued, will retry next week: %s", exc)
