"""The IDX format of the original MNIST files: a magic number, the dimensions,
and raw big-endian data."""

from __future__ import annotations

import gzip
import math
import os
from pathlib import Path

import numpy as np

from faqnas.data.registry import DatasetError

# IDX type codes -> big-endian numpy dtypes (the format stores data big-endian).
_IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Parse one IDX file (gzipped or not) into a native-endian array."""
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise DatasetError(f"{path}: not an IDX file (only {len(raw)} bytes)")
    zero1, zero2, code, ndim = raw[:4]
    if zero1 or zero2 or code not in _IDX_DTYPES or ndim == 0:
        magic = int.from_bytes(raw[:4], "big")
        raise DatasetError(
            f"{path}: bad IDX magic number {magic} (0x{magic:08x}); expected two zero "
            f"bytes, a type code in {sorted(_IDX_DTYPES)} and at least one dimension"
        )
    header_len = 4 + 4 * ndim
    if len(raw) < header_len:
        raise DatasetError(
            f"{path}: truncated IDX header: expected {header_len} bytes, got {len(raw)}"
        )
    dims = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = _IDX_DTYPES[code]
    expected = header_len + math.prod(dims) * dtype.itemsize
    if len(raw) != expected:
        problem = "truncated" if len(raw) < expected else "has trailing bytes"
        raise DatasetError(
            f"{path}: IDX file {problem}: header {dims} of {dtype.name} needs "
            f"{expected} bytes, file has {len(raw)}"
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header_len).reshape(dims)
    return data.astype(dtype.newbyteorder("="))


def _read_bytes(path: Path) -> bytes:
    """Whole file content, decompressed when it starts with the gzip magic."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(2)
            fh.seek(0)
            if head == b"\x1f\x8b":
                with gzip.GzipFile(fileobj=fh) as gz:
                    return gz.read()
            return fh.read()
    except (OSError, EOFError) as exc:  # BadGzipFile is an OSError
        raise DatasetError(f"{path}: cannot read: {exc}") from exc
