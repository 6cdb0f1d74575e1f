"""What a set of evaluated genomes offers: its Pareto set, top-K, compromise,
hypervolume, and the cheapest genome within a point of the best accuracy.

Every function takes records (`faqnas.records.Record`) or populations and
returns records or numbers. Dominance is always taken on a record's
``objectives`` (what NSGA-II minimised: F_Q, 1 - accuracy, params; without
F_Q for a FLOPs-agnostic run) and decided by `faqnas.search.nsga2`, so the
reported Pareto set is the one the search itself saw.
"""

from __future__ import annotations

from typing import Sequence

import moocore
import numpy as np

from faqnas.search import nsga2
from faqnas.search.duplicates import check_distinct
from faqnas.search.objectives import objective_matrix

# One accuracy point, as the fraction stored in records.
ONE_POINT = 0.01
# Reference point of the hypervolume in normalised objective space: a little
# beyond the worst bound so that extreme points of the front still count.
HV_REFERENCE = 1.1
# Accuracies are ratios of small integers; a tolerance keeps "within one
# point" from flipping on the last bit of a subtraction.
ACC_TOL = 1e-9


def pareto_records(records: Sequence[dict]) -> list[dict]:
    """The non-dominated records, in input order."""
    check_distinct(records)
    if not records:
        return []
    front = nsga2.non_dominated_fronts(objective_matrix(records))[0]
    return [records[i] for i in front]


def compromise_record(records: Sequence[dict]) -> dict:
    """The Pareto-optimal record nearest (l2) to the ideal point after each
    objective is divided by its maximum over the Pareto set (paper, Alg. 1).

    Max-normalisation puts FLOPs (~1e5) and 1 - accuracy (~0.1) on one scale.
    """
    front = pareto_records(records)
    if not front:
        raise ValueError("no records, so no compromise")
    # Passing the front, not all records, is what makes the normalisation
    # "among the Pareto set".
    return front[nsga2.compromise_index(objective_matrix(front))]


def top_k(records: Sequence[dict], k: int) -> list[dict]:
    """The k best records in NSGA-II survival order: lower rank first, then
    larger crowding distance, i.e. the population NSGA-II would keep at size k."""
    check_distinct(records)
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    order = nsga2.top_k(objective_matrix(records), k) if records else []
    return [records[i] for i in order]


def objective_bounds(records: Sequence[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Per-objective (min, max) over all evaluated records: the shared scale
    that makes hypervolumes of different generations comparable."""
    if not records:
        raise ValueError("no records, so no bounds")
    objs = objective_matrix(records)
    return objs.min(axis=0), objs.max(axis=0)


def hypervolume_per_generation(
    generations: Sequence[dict],
    bounds: tuple[Sequence[float], Sequence[float]],
    reference: float = HV_REFERENCE,
) -> list[float]:
    """Hypervolume of each generation's rank-0 survivors.

    ``generations`` are population dicts (``population.json``: ``members`` with
    ``objectives`` and ``rank``). Objectives are mapped to [0, 1] with the
    caller's fixed ``bounds`` (lower, upper), e.g. ``objective_bounds`` of every
    evaluated record, so that all generations, and runs given the same bounds,
    share one scale. A constant objective (upper == lower) maps to 0.
    """
    width = len(bounds[0])
    return [
        normalised_hypervolume(
            np.array(
                [m["objectives"] for m in population["members"] if m["rank"] == 0], dtype=float
            ).reshape(-1, width),
            bounds,
            reference,
        )
        for population in generations
    ]


def normalised_hypervolume(
    points: np.ndarray,
    bounds: tuple[Sequence[float], Sequence[float]],
    reference: float = HV_REFERENCE,
) -> float:
    """Hypervolume of ``points`` (rows, minimised) after mapping each column
    to [0, 1] with ``bounds`` (lower, upper); a constant column maps to 0."""
    if not len(points):
        return 0.0
    lower, upper = (np.asarray(b, dtype=float) for b in bounds)
    span = np.where(upper > lower, upper - lower, 1.0)
    # moocore ignores points beyond the reference, so an out-of-bounds front
    # gives 0, never a negative volume.
    return float(moocore.hypervolume((points - lower) / span, ref=reference))


def cheapest_near_best_index(
    accuracy: Sequence[float], flops: Sequence[float], tolerance: float = ONE_POINT
) -> int:
    """Index of the genome of least F_Q among those within ``tolerance`` of the
    best accuracy: the smallest quantum circuit that reaches the plateau.
    Among equally cheap circuits the more accurate one is chosen."""
    if not len(accuracy):
        raise ValueError("no genomes")
    best = max(accuracy)
    near = [i for i, a in enumerate(accuracy) if a >= best - tolerance - ACC_TOL]
    return min(near, key=lambda i: (flops[i], -accuracy[i]))


def cheapest_near_best(records: Sequence[dict], tolerance: float = ONE_POINT) -> dict:
    """The record `cheapest_near_best_index` picks."""
    index = cheapest_near_best_index(
        [r["accuracy"] for r in records], [r["flops"]["quantum"] for r in records], tolerance
    )
    return records[index]
