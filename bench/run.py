"""End-to-end benchmarks against real servers: `python -m bench [--big] [--latency-mails N]`.

Starts a private Dovecot (sdbox mailboxes) and an aiosmtpd server, as the tests do, then:

- backlog: N generated fiches APPENDed, then `intake run --once` as a subprocess until it exits
  (every acknowledgement handed to the SMTP server); beside it the bare imap-tools
  `fetch(bulk=500, mark_seen=False)` with parsing, on the same mailbox just before;
- memory: the peak RSS of the worker and of its parse process for each N (VmHWM in /proc);
- the SMTP server's ceiling: mails/s it accepts from bare smtplib (bench/smtp.py);
- latency: `intake run` idle on IDLE, then with polling every second (IDLE off), fiches APPENDed
  one at a time: time from the APPEND to the acknowledgement at the SMTP server;
- parse: `classify` per format on one core (bench/parse.py).

Prints the tables and writes them to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from bench.fiches import MIX, Fiches
from bench.parse import ROOT, measure

sys.path.insert(0, str(ROOT / "tests"))

from servers import Dovecot, MailUser  # noqa: E402 - the tests' real-server fixtures
from servers.dovecot import free_port  # noqa: E402

IN_REPLY_TO = re.compile(rb"^In-Reply-To: *(<[^>\r\n]+>)", re.MULTILINE | re.IGNORECASE)
#: outbox/compose.py names each Message-ID after its template.
ACK_ID = re.compile(rb"^Message-ID: *<accuse-reception\.", re.MULTILINE | re.IGNORECASE)
SENDER = "Signalements 39 75 <signalements-3975@paris.fr>"


class CountingHandler:
    """aiosmtpd hooks: accept everything, count mails, time each acknowledgement's arrival by
    the Message-ID of the fiche it answers (its In-Reply-To)."""

    def __init__(self) -> None:
        self.mails = 0
        self.acks: dict[str, float] = {}
        self.changed = threading.Condition()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        at = time.monotonic()
        raw = envelope.original_content or b""
        head = raw[: raw.find(b"\r\n\r\n")]
        match = IN_REPLY_TO.search(head)
        with self.changed:
            self.mails += 1
            if match and ACK_ID.search(head):
                self.acks.setdefault(match.group(1).decode(), at)
            self.changed.notify_all()
        return "250 OK"

    def wait(self, predicate: object, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(predicate, timeout)  # type: ignore[arg-type]


@dataclass
class Servers:
    dovecot: Dovecot
    smtp: Controller
    handler: CountingHandler

    def cpu(self) -> float:
        """CPU seconds of Dovecot's processes (its session): the live ones, plus what the
        master has reaped of the others."""
        master = self.dovecot.pid
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            if int(fields[3]) == master:  # the session id, field 6 of stat(5)
                total += int(fields[11]) + int(fields[12])  # utime, stime
                if stat.parent.name == str(master):
                    total += int(fields[13]) + int(fields[14])  # cutime, cstime
        return total / os.sysconf("SC_CLK_TCK")

    def reset(self) -> None:
        with self.handler.changed:
            self.handler.mails = 0
            self.handler.acks.clear()


def write_config(folder: Path, user: MailUser, smtp_port: int, **extra: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "intake.yaml"
    settings = {
        "mailbox": f"imap://{user.user}@{user.host}:{user.imap_port}/INBOX",
        "outbox": f"smtp://127.0.0.1:{smtp_port}",
        "database": "intake.db",
        "rules": ROOT / "config" / "rules.yaml",
        "templates": ROOT / "config" / "templates" / "fr",
        "sender": SENDER,
        "processed_folder": "Traités",
        # 300 agents and 17 services: the default daily cap per recipient would hold most mail.
        "max_mails_per_recipient_per_day": 1_000_000,
        "max_mails_per_sender_per_day": 1_000_000,
        **extra,
    }
    config.write_text("".join(f"{k}: {v}\n" for k, v in settings.items()), encoding="utf-8")
    return config


def worker(
    config: Path, user: MailUser, *args: str, profile: Path | None = None
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "INTAKE_IMAP_PASSWORD": user.password}
    # pyinstrument's text report of where the worker spends its time, when asked.
    profiler = ["-m", "pyinstrument", "-o", str(profile), "-r", "text"] if profile else []
    with (config.parent / "worker.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, *profiler, "-m", "intake", "--config", str(config), "run", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            cwd=config.parent,
        )


def append_all(user: MailUser, fiches: Fiches, count: int) -> float:
    """APPEND `count` fiches to INBOX over one connection; returns the seconds it took."""
    start = time.perf_counter()
    with user.connect() as box:
        for n in range(count):
            typ, data = box.client.append("INBOX", None, None, fiches.fiche(n))
            assert typ == "OK", data
    return time.perf_counter() - start


def bare_fetch(user: MailUser) -> tuple[int, float]:
    """imap-tools fetch(bulk=500, mark_seen=False), every message parsed: (count, seconds)."""
    start, count = time.perf_counter(), 0
    with user.connect() as box:
        for msg in box.fetch(bulk=500, mark_seen=False):
            _ = (msg.uid, msg.subject, msg.from_, msg.text, msg.html)
            _ = [a.payload for a in msg.attachments]
            count += 1
    return count, time.perf_counter() - start


@dataclass
class Backlog:
    n: int
    append_s: float
    bare_rate: float
    worker_s: float
    mails: int
    peak_rss_mb: float
    #: The largest of the worker's child processes (its parse process).
    child_rss_mb: float
    #: CPU seconds during the worker's run: the worker with its parse process, the SMTP
    #: server (this process, otherwise idle) and Dovecot.
    worker_cpu: float = 0.0
    smtp_cpu: float = 0.0
    dovecot_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return self.n / self.worker_s


def backlog(servers: Servers, n: int, work: Path, profile: Path | None = None) -> Backlog:
    user = servers.dovecot.add_user()
    fiches = Fiches(f"backlog{n}")
    appended = append_all(user, fiches, n)
    fetched, fetch_s = bare_fetch(user)
    assert fetched == n, (fetched, n)
    config = write_config(work / f"backlog-{n}", user, servers.smtp.port)
    servers.reset()
    smtp_before, dovecot_before = _cpu(resource.getrusage(resource.RUSAGE_SELF)), servers.cpu()
    start = time.perf_counter()
    proc = worker(config, user, "--once", profile=profile / f"backlog-{n}.txt" if profile else None)
    peaks = PeakRss(proc.pid)
    # wait4 reports the worker's CPU with its reaped children: the parse process is included.
    _, status, usage = os.wait4(proc.pid, 0)
    peaks.stop()
    elapsed = time.perf_counter() - start
    smtp_cpu = _cpu(resource.getrusage(resource.RUSAGE_SELF)) - smtp_before
    dovecot_cpu = servers.cpu() - dovecot_before
    proc.returncode = os.waitstatus_to_exitcode(status)
    log = (config.parent / "worker.log").read_text(errors="replace")
    assert proc.returncode == 0, log[-3000:]
    acks = len(servers.handler.acks)
    assert acks == n, f"{acks} acknowledgements for {n} fiches\n{log[-3000:]}"
    return Backlog(
        n,
        appended,
        n / fetch_s,
        elapsed,
        servers.handler.mails,
        peaks.worker,
        peaks.children,
        _cpu(usage),
        smtp_cpu,
        dovecot_cpu,
    )


class PeakRss:
    """Peak RSS (VmHWM) of a process and of its children, read from /proc while it runs.

    Not wait4's ru_maxrss: Linux counts in it the memory of the process that spawned the
    worker, as it was just before the exec (this benchmark's, which grows with N)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.worker = 0.0
        self.children = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(0.1):
            self.worker = max(self.worker, _hwm(self.pid))
            try:
                kids = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
            except OSError:
                kids = []
            for kid in kids:
                self.children = max(self.children, _hwm(int(kid)))

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def _hwm(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass  # ended meanwhile
    return 0.0


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


@dataclass
class SmtpCeiling:
    """Mails per second the SMTP server accepts from bare smtplib, by connection count."""

    rates: dict[int, float]

    @property
    def best(self) -> float:
        return max(self.rates.values())


def smtp_ceiling(servers: Servers, mails: int = 3000) -> SmtpCeiling:
    rates = {}
    for connections in (1, 2):
        out = subprocess.run(
            [sys.executable, "-m", "bench.smtp", "127.0.0.1", str(servers.smtp.port)]
            + [str(mails), str(connections)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        rates[connections] = float(out.stdout)
    servers.reset()
    return SmtpCeiling(rates)


@dataclass
class Latency:
    mode: str
    seconds: list[float]

    def row(self) -> tuple[str, int, float, float, float]:
        s = sorted(self.seconds)
        p95 = s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]
        return (self.mode, len(s), statistics.median(s), p95, s[-1])


def latency(servers: Servers, mode: str, count: int, work: Path) -> Latency:
    user = servers.dovecot.add_user()
    extra = {"poll_seconds": 1} if mode == "idle" else {"poll_seconds": 1, "imap_idle": "false"}
    config = write_config(work / f"latency-{mode}", user, servers.smtp.port, **extra)
    log_path = config.parent / "worker.log"
    proc = worker(config, user)
    try:
        deadline = time.monotonic() + 30
        while "watching" not in (log_path.read_text() if log_path.exists() else ""):
            assert proc.poll() is None and time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.05)
        time.sleep(1.0)  # the worker is now waiting (IDLE, or its sleep until the next poll)
        fiches = Fiches(f"latency-{mode}")
        seconds = []
        with user.connect() as box:
            for n in range(count):
                message_id = fiches.message_id(n)
                raw = fiches.fiche(n)
                sent = time.monotonic()
                typ, data = box.client.append("INBOX", None, None, raw)
                assert typ == "OK", data
                arrived = servers.handler.wait(lambda m=message_id: m in servers.handler.acks, 30)
                assert arrived, f"no acknowledgement for {message_id}\n{log_path.read_text()}"
                seconds.append(servers.handler.acks[message_id] - sent)
                time.sleep(0.2 + (n % 7) / 10)  # not in step with the poll period
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    return Latency(mode, seconds)


def machine() -> str:
    mem = next(
        int(line.split()[1]) // 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    dovecot = subprocess.run(
        [servers_binary(), "--version"], capture_output=True, text=True
    ).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:,} MB memory, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, Dovecot {dovecot} "
        "(sdbox), aiosmtpd in the benchmark process"
    )


def servers_binary() -> str:
    from servers.dovecot import require_dovecot

    return require_dovecot()


def report(
    command: str,
    backlogs: list[Backlog],
    ceiling: SmtpCeiling,
    latencies: list[Latency],
    parse: list[tuple[str, int, float, float]],
) -> str:
    mix = ", ".join(f"{k} {v}%" for k, v in MIX.items())
    size_text = ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in Fiches("x").sizes().items())
    lines = [
        f"Command: `{command}`, on {time.strftime('%Y-%m-%d')}.",
        "",
        f"Machine: {machine()}.",
        "",
        f"Fiches: {mix}; mean sizes {size_text}.",
        "",
        "**Backlog**: N fiches APPENDed, then `intake run --once` (a subprocess, start-up",
        "included) until it exits with every acknowledgement handed to the SMTP server. Bare",
        "fetch: imap-tools `fetch(bulk=500, mark_seen=False)` with parsing, same mailbox, just",
        "before the worker.",
        "",
        "| N | APPEND msg/s | bare fetch+parse msg/s | worker s | mails sent "
        "| **fiches/s end to end** | ratio to bare | peak RSS MB | parse process peak RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    cpu_lines = [
        "",
        "CPU per fiche during the backlog (ms; the machine has 2 cores, so 2 ms of CPU per",
        "millisecond of wall time at most):",
        "",
        "| N | worker (with its parse process) | SMTP server | Dovecot | all | wall |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for b in backlogs:
        lines.append(
            f"| {b.n:,} | {b.n / b.append_s:,.0f} | {b.bare_rate:,.0f} | {b.worker_s:.1f} | "
            f"{b.mails:,} | **{b.rate:,.0f}** | {b.rate / b.bare_rate:.0%} | {b.peak_rss_mb:.0f} | "
            f"{b.child_rss_mb:.0f} |"
        )
        per = 1000 / b.n
        cpu_lines.append(
            f"| {b.n:,} | {b.worker_cpu * per:.2f} | {b.smtp_cpu * per:.2f} | "
            f"{b.dovecot_cpu * per:.2f} | {(b.worker_cpu + b.smtp_cpu + b.dovecot_cpu) * per:.2f} "
            f"| {b.worker_s * per:.2f} |"
        )
    lines += cpu_lines
    per_fiche = backlogs[-1].mails / backlogs[-1].n if backlogs else 2
    lines += [
        "",
        "**The SMTP server's own ceiling**, same run: aiosmtpd accepted "
        + ", ".join(
            f"{rate:,.0f} mails/s over {n} connection{'s' if n > 1 else ''}"
            for n, rate in ceiling.rates.items()
        )
        + f" from bare smtplib sending pre-written mails (`python -m bench.smtp`). At "
        f"{per_fiche:g} mails per fiche (acknowledgement and approval request), that server "
        f"alone caps the backlog at **{ceiling.best / per_fiche:,.0f} fiches/s**, with no time "
        "left for reading, parsing or storing anything.",
    ]
    lines += [
        "",
        "**Latency**: `intake run` waiting, fiches APPENDed one at a time; seconds from the APPEND",
        "to the acknowledgement at the SMTP server.",
        "",
        "| wait | mails | p50 s | p95 s | max s |",
        "|---|---:|---:|---:|---:|",
    ]
    names = {"idle": "IMAP IDLE", "poll": "polling every 1 s (`imap_idle: false`)"}
    for lat in latencies:
        mode, count, p50, p95, worst = lat.row()
        lines.append(f"| {names[mode]} | {count} | {p50:.2f} | {p95:.2f} | {worst:.2f} |")
    lines += [
        "",
        "**Parse**: `classify` on raw email bytes, one core (`python -m bench.parse`).",
        "",
        "| format | fiches | fiches/s | fiches/CPU s |",
        "|---|---:|---:|---:|",
    ]
    for name, n, wall, cpu in parse:
        lines.append(f"| {name} | {n} | {n / wall:,.0f} | {n / cpu:,.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--big", action="store_true", help="add a backlog of 50,000 fiches")
    parser.add_argument("--latency-mails", type=int, default=100)
    parser.add_argument("--parse-iterations", type=int, default=300)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="run each backlog worker under pyinstrument and write its report to DIR",
    )
    parser.add_argument("--no-latency", action="store_true", help="skip the latency runs")
    args = parser.parse_args()
    sizes = args.sizes + ([50_000] if args.big else [])
    command = "python -m bench" + " ".join(["", *sys.argv[1:]])
    handler = CountingHandler()
    smtp = Controller(handler, hostname="127.0.0.1", port=free_port(), server_hostname="smtp.test")
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as tmp, Dovecot(sdbox=True) as dv:
        smtp.start()
        servers = Servers(dv, smtp, handler)
        try:
            backlogs = []
            for n in sizes:
                backlogs.append(backlog(servers, n, Path(tmp), args.profile))
                b = backlogs[-1]
                print(f"backlog {n}: {b.rate:.0f} fiches/s, bare {b.bare_rate:.0f}", flush=True)
            ceiling = smtp_ceiling(servers)
            print(f"smtp ceiling: {ceiling.rates}", flush=True)
            latencies = []
            for mode in () if args.no_latency else ("idle", "poll"):
                latencies.append(latency(servers, mode, args.latency_mails, Path(tmp)))
                print(f"latency {mode}: {latencies[-1].row()}", flush=True)
        finally:
            smtp.stop()
    text = report(command, backlogs, ceiling, latencies, measure(args.parse_iterations))
    print()
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("# Benchmarks\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
