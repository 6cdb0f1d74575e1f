"""Stagnation of the rank-0 front, the paper's convergence test (line 28)."""

from __future__ import annotations

from faqnas.search.nsga2.sorting import as_objectives, non_dominated_fronts


def rank0_signature(F) -> tuple:
    """The rank-0 front as a sorted tuple of distinct objective tuples (line 28).

    Distinct: a newcomer identical in objectives to a front member leaves the
    front, as a set of points in objective space, unchanged.
    """
    F = as_objectives(F)
    if len(F) == 0:
        return ()
    front = F[non_dominated_fronts(F)[0]]
    return tuple(sorted({tuple(float(v) for v in row) for row in front}))


def stagnation(prev_sig: tuple, sig: tuple, prev_count: int) -> int:
    """Consecutive generations without change of the rank-0 front (line 28)."""
    return prev_count + 1 if sig == prev_sig else 0
