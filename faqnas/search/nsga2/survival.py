"""Elitist survival: rank and crowding, the survivors of a merged population,
and the best k in survival order."""

from __future__ import annotations

import numpy as np

from faqnas.search.nsga2.crowding import crowding_distance
from faqnas.search.nsga2.sorting import as_objectives, non_dominated_fronts


def rank_and_crowding(F) -> tuple[np.ndarray, np.ndarray]:
    """Rank of every row and its crowding distance within its own front (line 7)."""
    F = as_objectives(F)
    rank = np.empty(len(F), dtype=np.int64)
    crowding = np.empty(len(F))
    for r, front in enumerate(non_dominated_fronts(F)):
        rank[front] = r
        crowding[front] = crowding_distance(F[front])
    return rank, crowding


def survivors(F, n: int) -> np.ndarray:
    """Indices of the ``n`` survivors of ``F`` (lines 17-26).

    Whole fronts are kept while they fit; the front that does not fit is cut
    by crowding distance (computed on that front alone) descending, equal
    distances by lower index, so the result depends on ``F`` only.
    """
    F = as_objectives(F)
    if n < 0:
        raise ValueError(f"number of survivors must be >= 0, got {n}")
    kept: list[np.ndarray] = []
    room = n
    for front in non_dominated_fronts(F):
        if room == 0:
            break
        if len(front) <= room:
            kept.append(front)
            room -= len(front)
        else:
            cd = crowding_distance(F[front])
            order = np.lexsort((front, -cd))
            kept.append(front[order[:room]])
            room = 0
    return np.concatenate(kept) if kept else np.empty(0, dtype=np.int64)


def top_k(F, k: int) -> np.ndarray:
    """Indices of the ``k`` best rows by (rank, -crowding), ties by index."""
    rank, crowding = rank_and_crowding(F)
    return np.lexsort((np.arange(len(rank)), -crowding, rank))[:k]
