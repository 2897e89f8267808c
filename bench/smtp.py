"""The SMTP server's own ceiling: `python -m bench.smtp HOST PORT MAILS CONNECTIONS`.

Sends MAILS copies of an acknowledgement-sized mail with bare smtplib, spread over
CONNECTIONS concurrent connections, and prints the mails per second the server accepted.
It runs as its own process, so that the server it measures does not share its interpreter.
"""

from __future__ import annotations

import smtplib
import sys
import threading
import time

#: About the size of an acknowledgement as the worker writes it.
MAIL = (
    b"From: signalements-3975@paris.fr\r\nTo: agent@paris.fr\r\nSubject: [3975-2026-00001] "
    b"Accuse de reception\r\nMessage-ID: <bench@paris.fr>\r\n\r\n"
    + b"Bonjour, votre fiche de signalement est bien enregistree.\r\n"
    * 30
)


def send(host: str, port: int, count: int) -> None:
    with smtplib.SMTP(host, port) as client:
        for _ in range(count):
            client.sendmail("signalements-3975@paris.fr", ["agent@paris.fr"], MAIL)


def rate(host: str, port: int, mails: int, connections: int) -> float:
    threads = [
        threading.Thread(target=send, args=(host, port, mails // connections))
        for _ in range(connections)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (mails // connections) * connections / (time.perf_counter() - start)


if __name__ == "__main__":
    host, port, mails, connections = sys.argv[1], *map(int, sys.argv[2:5])
    print(f"{rate(host, port, mails, connections):.1f}")
