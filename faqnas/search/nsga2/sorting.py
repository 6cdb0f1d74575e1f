"""Non-dominated sorting: fronts and ranks of an objective matrix (minimised)."""

from __future__ import annotations

import numpy as np


def as_objectives(F) -> np.ndarray:
    """``F`` as a float (n, m) array; raises ValueError for other shapes or NaN."""
    F = np.asarray(F, dtype=float)
    if F.ndim != 2:
        raise ValueError(f"objectives must be a 2-d array (n, m), got shape {F.shape}")
    if np.isnan(F).any():
        # NaN compares false both ways, so it would silently sit in front 0.
        raise ValueError("objectives contain NaN")
    return F


def non_dominated_fronts(F) -> list[np.ndarray]:
    """Deb's fast non-dominated sort: fronts of row indices, best first.

    Identical points do not dominate each other, so they share a front.
    Indices within a front are ascending.
    """
    F = as_objectives(F)
    le = np.all(F[:, None, :] <= F[None, :, :], axis=2)
    lt = np.any(F[:, None, :] < F[None, :, :], axis=2)
    dominates = le & lt  # dominates[i, j]: i dominates j
    n_dominators = dominates.sum(axis=0)
    fronts = []
    front = np.flatnonzero(n_dominators == 0)
    while front.size:
        fronts.append(front)
        n_dominators[front] = -1  # never ranked twice
        n_dominators -= dominates[front].sum(axis=0)
        front = np.flatnonzero(n_dominators == 0)
    return fronts


def ranks(F) -> np.ndarray:
    """Front number of each row (0 = non-dominated)."""
    F = as_objectives(F)
    rank = np.empty(len(F), dtype=np.int64)
    for r, front in enumerate(non_dominated_fronts(F)):
        rank[front] = r
    return rank
