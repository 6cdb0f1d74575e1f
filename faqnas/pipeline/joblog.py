"""Job logs that catch everything a job prints to standard error."""

from __future__ import annotations

import os


def log_to(path: str | os.PathLike) -> None:
    """Point file descriptor 2 at ``path``.

    Replacing ``sys.stderr`` alone would miss what C++ libraries print (the
    PyTorch profiler writes a line per run) and tracebacks of crashes; those
    would otherwise clutter Snakemake's console instead of the job's log.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 2)
    os.close(fd)
