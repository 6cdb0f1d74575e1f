"""Recovering Snakemake's directory lock after a run was killed.

Snakemake locks its working directory and removes the lock when it exits.
A run killed with SIGKILL (or by the end of a cluster allocation) cannot
remove it, and the same command then refuses to start until the user runs
``--unlock``. We record the PID of the running Snakemake next to the lock,
so the next start can tell a dead run's lock from a live one and clear only
the former.
"""

from __future__ import annotations

import os
import socket
import shutil
from pathlib import Path

PID_FILE = "faqnas-run.pid"


def _pid_file(snakemake_dir: Path) -> Path:
    return snakemake_dir / PID_FILE


def remember_run(snakemake_dir: Path) -> None:
    snakemake_dir.mkdir(parents=True, exist_ok=True)
    _pid_file(snakemake_dir).write_text(f"{socket.gethostname()} {os.getpid()}\n")


def forget_run(snakemake_dir: Path) -> None:
    _pid_file(snakemake_dir).unlink(missing_ok=True)


def held_locks(snakemake_dir: Path) -> bool:
    """Whether a Snakemake run (live, or dead on another host) holds a lock here."""
    locks = snakemake_dir / "locks"
    return locks.is_dir() and any(locks.glob("*.lock"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clear_stale_locks(snakemake_dir: Path) -> str:
    """Remove the locks of a killed run on this host; return what was done.

    Locks whose owner is unknown, alive, or on another host are left alone:
    only Snakemake's own ``--unlock`` should override those.
    """
    pid_file = _pid_file(snakemake_dir)
    locks = snakemake_dir / "locks"
    if not pid_file.exists():
        return ""
    try:
        host, pid_text = pid_file.read_text().split()
        pid = int(pid_text)
    except ValueError:
        return ""
    if host != socket.gethostname() or _alive(pid):
        return ""
    shutil.rmtree(locks, ignore_errors=True)
    pid_file.unlink(missing_ok=True)
    return f"faqnas: removed the lock left by a killed run (pid {pid}); resuming"
