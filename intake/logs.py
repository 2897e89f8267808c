"""Log lines for a service: one line per event, human-readable or JSON, never personal data.

At INFO and above a line may name a Message-ID, a ticket reference, a count, a folder or a
server, never what a fiche says nor who wrote it or receives it: those go to DEBUG. Callers
pass the identifiers as `extra={"message_id": ..., "ref": ...}` so the JSON format has them
as fields of their own.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

#: Attributes a record may carry through `extra=`, copied into the JSON object.
FIELDS = ("message_id", "ref", "mail_id")
FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and message_id/ref when known."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value:
                data[name] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def configure(level: int, fmt: str = "text") -> None:
    """Send every log line to stderr (the journal, under systemd) in the chosen format."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_intake", False):
            root.removeHandler(old)
    handler._intake = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
