"""Parent selection: binary tournaments on (rank, crowding)."""

from __future__ import annotations

import numpy as np


def crowded_tournament(rng: np.random.Generator, rank, crowding, n: int) -> np.ndarray:
    """Winners of ``n`` binary tournaments between two distinct individuals.

    Lower rank wins, then larger crowding distance; full ties are a coin flip.
    """
    rank = np.asarray(rank)
    crowding = np.asarray(crowding, dtype=float)
    size = len(rank)
    if size == 0:
        raise ValueError("tournament on an empty population")
    if size == 1:
        return np.zeros(n, dtype=np.int64)
    a = rng.integers(0, size, n)
    b = (a + rng.integers(1, size, n)) % size
    coin = rng.random(n) < 0.5
    a_wins = (rank[a] < rank[b]) | (
        (rank[a] == rank[b])
        & ((crowding[a] > crowding[b]) | ((crowding[a] == crowding[b]) & coin))
    )
    return np.where(a_wins, a, b)
