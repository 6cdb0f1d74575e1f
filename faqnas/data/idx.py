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


# Magic number plus at most 255 dimensions of 4 bytes each.
_IDX_MAX_HEADER = 4 + 4 * 255


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Parse one IDX file (gzipped or not) into a native-endian array.

    Raises:
        DatasetError: the file cannot be read or is not a consistent IDX file.
    """
    path = Path(path)
    raw = b"".join(iter_bytes(path))
    dtype, dims, header_len = idx_header(raw[:_IDX_MAX_HEADER], len(raw), path)
    data = np.frombuffer(raw, dtype=dtype, offset=header_len).reshape(dims)
    return data.astype(dtype.newbyteorder("="))


def idx_header(head: bytes, size: int | None, path) -> tuple[np.dtype, tuple[int, ...], int]:
    """Type, dimensions and header length of an IDX file, checked against its size.

    Args:
        head: the file's first bytes (after decompression), at least its header.
        size: the file's whole (decompressed) size in bytes; None for a file
            already checked, whose header alone is wanted.
        path: the file named in errors.

    Returns:
        The big-endian dtype of the data, its dimensions and the header length.

    Raises:
        DatasetError: bad magic number, truncated header, or a size that does
            not match the header.
    """
    known = size is not None
    size = size if known else len(head)
    if size < 4:
        raise DatasetError(f"{path}: not an IDX file (only {size} bytes)")
    zero1, zero2, code, ndim = head[:4]
    if zero1 or zero2 or code not in _IDX_DTYPES or ndim == 0:
        magic = int.from_bytes(head[:4], "big")
        raise DatasetError(
            f"{path}: bad IDX magic number {magic} (0x{magic:08x}); expected two zero "
            f"bytes, a type code in {sorted(_IDX_DTYPES)} and at least one dimension"
        )
    header_len = 4 + 4 * ndim
    if size < header_len:
        raise DatasetError(
            f"{path}: truncated IDX header: expected {header_len} bytes, got {size}"
        )
    dims = tuple(int.from_bytes(head[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = _IDX_DTYPES[code]
    expected = header_len + math.prod(dims) * dtype.itemsize
    if known and size != expected:
        problem = "truncated" if size < expected else "has trailing bytes"
        raise DatasetError(
            f"{path}: IDX file {problem}: header {dims} of {dtype.name} needs "
            f"{expected} bytes, file has {size}"
        )
    return dtype, dims, header_len


def iter_bytes(path: str | os.PathLike, chunk: int = 1 << 22):
    """The file's content in chunks, decompressed when it starts with the gzip magic.

    Raises:
        DatasetError: the file cannot be read, or is a damaged gzip file.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(2)
            fh.seek(0)
            stream = gzip.GzipFile(fileobj=fh) if head == b"\x1f\x8b" else fh
            while block := stream.read(chunk):
                yield block
    except (OSError, EOFError) as exc:  # BadGzipFile is an OSError
        raise DatasetError(f"{path}: cannot read: {exc}") from exc
