"""Mutation: per-gene uniform redraw from the gene's domain."""

from __future__ import annotations

import numpy as np


def mutate(rng: np.random.Generator, x, cardinalities, p_m: float) -> np.ndarray:
    """Each gene, with probability ``p_m``, redrawn uniformly from its whole domain.

    The redraw may return the current value (the paper draws "from the gene's
    domain"), so a gene actually changes with probability p_m (1 - 1/k).
    """
    x = np.asarray(x)
    hit = rng.random(x.shape) < p_m
    return np.where(hit, rng.integers(0, np.asarray(cardinalities)), x)
