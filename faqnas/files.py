"""Writing files so that a killed job never leaves half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable


def atomic_write(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(handle)`` on a temporary file beside ``path``, then rename it into place.

    ``os.replace`` is atomic within one filesystem, so readers see either the
    old file or the whole new one. A SIGKILL may strand the hidden
    ``.name.*.tmp`` file, which nothing reads.

    Args:
        path: the file to (re)write; its folder is created if needed.
        write: writes the whole content to the binary handle it is given.

    Raises:
        OSError: the file cannot be written; ``path`` is then unchanged.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); give it the permissions
        # open() would, so results stay readable by whoever shares the folder.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
