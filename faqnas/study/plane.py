"""The (log10 F_Q, 1 - accuracy) plane in which the paper's claims are made.

Whatever a search minimised, every genome it trained has an accuracy and an
F_Q. F_Q spans four orders of magnitude over Table I and the paper reads it
on a log scale, so the plane's first axis is log10 F_Q.

Hypervolumes are taken after mapping both axes to [0, 1] with bounds fixed
by the search space alone: log10 F_Q from the space's cheapest to its
dearest circuit (the FLOPs table), 1 - accuracy from 0 to 1. The bounds
depend on no search and no training run, so adding a run, a seed or a
variant changes no hypervolume already reported, and one dataset's
hypervolumes compare with another's. The reference point is
`faqnas.search.pareto.HV_REFERENCE` in each normalised coordinate, a little
beyond the worst corner, so that the extremes of a front still count.
"""

from __future__ import annotations

from typing import Sequence

import moocore
import numpy as np
import pandas as pd

from faqnas.search.pareto import normalised_hypervolume

Bounds = tuple[np.ndarray, np.ndarray]


def plane_points(flops: Sequence[float], accuracy: Sequence[float]) -> np.ndarray:
    """Rows of (log10 F_Q, 1 - accuracy).

    Args:
        flops: F_Q of each genome; below 1 FLOP counts as 1 (a profiler can
            count no FLOPs for a circuit whose gates are all slicing).
        accuracy: its accuracy, a fraction.

    Returns:
        An (n, 2) array.
    """
    flops = np.maximum(np.asarray(flops, dtype=float), 1.0)
    return np.column_stack([np.log10(flops), 1.0 - np.asarray(accuracy, dtype=float)])


def space_bounds(space_flops: Sequence[float]) -> Bounds:
    """The plane's fixed bounds: the space's F_Q range, and accuracy 0 to 1.

    Args:
        space_flops: F_Q of every circuit of the search space (the FLOPs
            table's ``F_Q``).

    Returns:
        (lower, upper): ``[log10 min F_Q, 0]`` and ``[log10 max F_Q, 1]``.

    Raises:
        ValueError: ``space_flops`` is empty.
    """
    if not len(space_flops):
        raise ValueError("no F_Q, so no bounds: the FLOPs table is empty")
    log_flops = plane_points(space_flops, np.zeros(len(space_flops)))[:, 0]
    return np.array([log_flops.min(), 0.0]), np.array([log_flops.max(), 1.0])


def plane_hypervolume(flops: Sequence[float], accuracy: Sequence[float], bounds: Bounds) -> float:
    """Hypervolume of the genomes (F_Q, accuracy) in the normalised plane.

    Args:
        flops, accuracy: as `plane_points`; empty gives 0.
        bounds: `space_bounds`.

    Returns:
        The area the genomes dominate up to the reference point, in [0, 1.21].
    """
    return normalised_hypervolume(plane_points(flops, accuracy), bounds)


def plane_front(table: pd.DataFrame, accuracy: str = "accuracy") -> pd.DataFrame:
    """The rows no other row beats in both F_Q and accuracy, cheapest first.

    Args:
        table: rows with ``F_Q`` and the ``accuracy`` column.
        accuracy: which column is the accuracy.

    Returns:
        The non-dominated rows (of equal points, every copy), by F_Q.
    """
    points = plane_points(table["F_Q"], table[accuracy])
    keep = moocore.is_nondominated(points, keep_weakly=True)
    return table[keep].sort_values(["F_Q", accuracy], ascending=[True, False], kind="stable")
