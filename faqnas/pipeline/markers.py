"""Snakemake's incomplete markers, read and cleared from outside Snakemake.

Snakemake 9 marks each output of a job as incomplete when the job starts
(``.snakemake/incomplete/<urlsafe base64 of the path>``, split into ``@``
folders when the name is long) and removes the marks when it has seen the job
finish. A run killed between a job writing its last output and Snakemake
noticing leaves the marks on complete files.

Snakemake looks at these marks only for the jobs of the DAG it builds before
the first checkpoint is resolved: with ``--rerun-incomplete`` it then reruns
them (a generation-0 record is trained again), and the jobs it discovers
later, after the survival checkpoints (every later generation, finalize),
are never checked, so their marks are neither acted on nor removed, run after
run. faqnas therefore settles the marks of its search folders itself at
start-up (``faqnas.consistency``).
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path


def _folder(snakemake_dir: str | os.PathLike) -> Path:
    return Path(snakemake_dir) / "incomplete"


def incomplete_markers(snakemake_dir: str | os.PathLike) -> dict[str, Path]:
    """Every incomplete marker.

    Args:
        snakemake_dir: the ``.snakemake`` folder of the working directory.

    Returns:
        The marked output path (relative to the working directory, as
        Snakemake writes it) -> the marker file.
    """
    folder = _folder(snakemake_dir)
    out = {}
    for parent, _, names in os.walk(folder):
        for name in names:
            marker = Path(parent, name)
            parts = marker.relative_to(folder).parts
            encoded = "".join(part.removeprefix("@") for part in parts)
            try:
                out[base64.urlsafe_b64decode(encoded).decode()] = marker
            except (binascii.Error, UnicodeDecodeError):
                continue  # e.g. Snakemake's own "migration_underway" flag
    return out


def clear_marker(marker: Path, snakemake_dir: str | os.PathLike) -> None:
    """Remove one marker, and the ``@`` folders that held only it.

    Args:
        marker: a marker file from :func:`incomplete_markers`.
        snakemake_dir: the ``.snakemake`` folder it belongs to.
    """
    marker.unlink(missing_ok=True)
    folder = _folder(snakemake_dir)
    parent = marker.parent
    while parent != folder and parent.name.startswith("@"):
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent
