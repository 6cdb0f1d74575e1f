"""Recombination: uniform crossover of integer gene vectors."""

from __future__ import annotations

import numpy as np


def uniform_crossover(rng: np.random.Generator, a, b, p_c: float) -> np.ndarray:
    """With probability ``p_c`` each gene from ``a`` or ``b`` (1/2 each), else a copy of ``a``."""
    a = np.asarray(a)
    b = np.asarray(b)
    if rng.random() >= p_c:
        return a.copy()
    return np.where(rng.random(a.shape) < 0.5, b, a)
