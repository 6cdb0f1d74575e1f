"""Seeds derived from names, so any job can be rerun alone with the same draws."""

from __future__ import annotations

import hashlib


def derive_seed(run_seed: int, *parts: object) -> int:
    """A 63-bit seed that depends only on the run seed and the given parts.

    Hashing (rather than adding offsets) keeps seeds of different stages,
    datasets and generations independent of each other.
    """
    text = "\x1f".join(str(p) for p in (run_seed, *parts))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> 1
