"""Crowding distance within one front, as pymoo's "cd"."""

from __future__ import annotations

import numpy as np

from faqnas.search.nsga2.sorting import as_objectives


def crowding_distance(F_front) -> np.ndarray:
    """NSGA-II crowding distance of the points of one front, as pymoo's "cd".

    Per objective, points are sorted by a stable sort (ties keep index order);
    the first and last get infinity, the others the range-normalised gap
    between their sorted neighbours; the sum is divided by the number of
    objectives (a constant factor pymoo applies; orderings are unaffected).
    An objective with zero range contributes 0, even at its boundaries.
    Consequences for duplicates: of a group of equal values only the lowest
    index can be the lower boundary and the highest index the upper one, and
    inner duplicates see a zero gap on one side, so duplicates get little
    credit for diversity. Fronts of at most two points are all infinite.
    """
    F = as_objectives(F_front)
    n, m = F.shape
    if n <= 2:
        return np.full(n, np.inf)
    order = np.argsort(F, axis=0, kind="stable")
    S = np.take_along_axis(F, order, axis=0)
    span = S[-1] - S[0]
    padded = np.vstack([np.full(m, -np.inf), S, np.full(m, np.inf)])
    with np.errstate(invalid="ignore", divide="ignore"):
        # Two one-sided gaps (not their sum) so values equal pymoo's bit for bit.
        to_prev = (padded[1:-1] - padded[:-2]) / span
        to_next = (padded[2:] - padded[1:-1]) / span
    sorted_cd = np.where(span > 0, to_prev + to_next, 0.0)
    cd = np.empty_like(sorted_cd)
    np.put_along_axis(cd, order, sorted_cd, axis=0)
    return cd.sum(axis=1) / m
