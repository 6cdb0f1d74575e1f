"""Choosing one point of a front: the compromise closest to the ideal point."""

from __future__ import annotations

import numpy as np

from faqnas.search.nsga2.sorting import as_objectives


def compromise_index(F) -> int:
    """Row closest (l2) to the ideal point after dividing each objective by its max.

    Objectives are assumed non-negative (they are here: FLOPs, error, params);
    an all-zero objective is left unscaled. The nearest row is always
    non-dominated, so passing a whole population gives a rank-0 point;
    the normalisation, however, depends on the set passed. Ties: lowest index.
    """
    F = as_objectives(F)
    if len(F) == 0:
        raise ValueError("compromise of an empty set")
    scale = F.max(axis=0)
    scale[scale == 0] = 1.0
    N = F / scale
    return int(np.argmin(np.linalg.norm(N - N.min(axis=0), axis=1)))
