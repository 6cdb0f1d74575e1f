"""The (log10 F_Q, 1 - accuracy) plane in which the paper's claims are made.

Whatever a search minimised, every genome it trained has an accuracy and a
profiled F_Q. F_Q spans orders of magnitude and the paper reads it on a log
scale, so the plane's first axis is log10 F_Q. Inputs are ``evaluations.tsv``
tables: one row per evaluated genome with ``accuracy`` and ``F_Q``.
"""

from __future__ import annotations

from typing import Iterable

import moocore
import numpy as np
import pandas as pd

from faqnas.search.pareto import normalised_hypervolume


def plane_points(table: pd.DataFrame) -> np.ndarray:
    """Rows of (log10 F_Q, 1 - accuracy). F_Q below 1 FLOP counts as 1."""
    flops = np.maximum(table["F_Q"].to_numpy(dtype=float), 1.0)
    return np.column_stack([np.log10(flops), 1.0 - table["accuracy"].to_numpy(dtype=float)])


def plane_bounds(tables: Iterable[pd.DataFrame]) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) of the plane over all given tables: one scale per dataset."""
    points = np.vstack([plane_points(t) for t in tables])
    return points.min(axis=0), points.max(axis=0)


def plane_hypervolume(table: pd.DataFrame, bounds: tuple[np.ndarray, np.ndarray]) -> float:
    """Hypervolume of the genomes of ``table`` in the normalised plane."""
    return normalised_hypervolume(plane_points(table), bounds)


def plane_front(table: pd.DataFrame) -> pd.DataFrame:
    """The genomes of ``table`` no other genome beats in both F_Q and accuracy,
    cheapest first."""
    points = plane_points(table)
    keep = moocore.is_nondominated(points, keep_weakly=False)
    return table[keep].sort_values(["F_Q", "accuracy"], ascending=[True, False])
