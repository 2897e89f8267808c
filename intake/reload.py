"""SIGHUP: reload the templates, after rendering each with the sample fiche (rules reload
themselves before each poll, see rules/reload.py)."""

from __future__ import annotations

import logging

from intake.errors import USER_ERRORS
from intake.runtime import Runtime
from intake.samples import check_templates
from outbox.render import Renderer

log = logging.getLogger(__name__)


def reload_templates(rt: Runtime) -> bool:
    """Swap in a fresh renderer when every template renders; else keep the one in force."""
    folder = rt.settings.path(rt.settings.templates)
    try:
        broken = [c for c in check_templates(folder) if c.problem]
    except USER_ERRORS as exc:
        log.error("templates not reloaded, keeping those in force: %s", exc)
        return False
    if broken:
        log.error(
            "templates not reloaded, keeping those in force: %s",
            "; ".join(f"{c.name}: {c.problem}" for c in broken),
        )
        return False
    rt.mails.renderer = Renderer(folder)
    log.info("templates %s reloaded", folder)
    return True
