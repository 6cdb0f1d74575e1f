"""Tables and numbers that summarise a finished search.

Every function takes plain Python data (record dicts as described in
docs/ARCHITECTURE.md, population dicts as read from ``population.json``) and
returns plain data or a DataFrame, so the Snakemake scripts only read files
and write what comes back.

Dominance is always taken on a record's ``objectives`` (what NSGA-II
minimised: F_Q, 1 - accuracy, params; without F_Q for a FLOPs-agnostic run),
never rebuilt from the other fields, and decided by ``faqnas.nsga2``, so the
reported Pareto set is the one the search itself saw.
"""

from __future__ import annotations

from typing import Sequence

import moocore
import numpy as np
import pandas as pd

from . import nsga2

# One accuracy point, as the fraction stored in records.
ONE_POINT = 0.01
# Reference point of the hypervolume in normalised objective space: a little
# beyond the worst bound so that extreme points of the front still count.
HV_REFERENCE = 1.1
# Accuracies are ratios of small integers; a tolerance keeps "within one
# point" from flipping on the last bit of a subtraction.
ACC_TOL = 1e-9


def _objectives(records: Sequence[dict]) -> np.ndarray:
    return np.array([r["objectives"] for r in records], dtype=float)


def _check_unique(records: Sequence[dict]) -> None:
    """Every phenotype is evaluated once, so a repeat means the caller passed
    population members (survivors repeat across generations) instead of records."""
    keys = [r["phenotype_key"] for r in records]
    if len(set(keys)) != len(keys):
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        raise ValueError(f"records repeat phenotype keys {repeated}; pass each evaluated record once")


def pareto_records(records: Sequence[dict]) -> list[dict]:
    """The non-dominated records, in input order."""
    _check_unique(records)
    if not records:
        return []
    front = nsga2.non_dominated_fronts(_objectives(records))[0]
    return [records[i] for i in front]


def record_row(r: dict) -> dict:
    """A record as one flat table row: key, genes, accuracy, FLOPs, params."""
    return {
        "phenotype_key": r["phenotype_key"],
        **r["genes"],
        "accuracy": r["accuracy"],
        "F_Q": r["flops"]["quantum"],
        "F_classical": r["flops"]["classical"],
        "F_total": r["flops"]["total"],
        "F_Q_analytic": r["flops"]["quantum_analytic"],
        "params": r["params"]["total"],
    }


def pareto_table(records: Sequence[dict]) -> pd.DataFrame:
    """One row per Pareto-optimal record, cheapest quantum part first."""
    table = pd.DataFrame([record_row(r) for r in pareto_records(records)])
    if table.empty:
        return table
    # Ties in F_Q are broken by accuracy so the order is reproducible.
    order = table.sort_values(["F_Q", "accuracy"], ascending=[True, False], kind="stable")
    return order.reset_index(drop=True)


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
    return front[nsga2.compromise_index(_objectives(front))]


def top_k(records: Sequence[dict], k: int) -> list[dict]:
    """The k best records in NSGA-II survival order: lower rank first, then
    larger crowding distance, i.e. the population NSGA-II would keep at size k."""
    _check_unique(records)
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    order = nsga2.top_k(_objectives(records), k) if records else []
    return [records[i] for i in order]


def objective_bounds(records: Sequence[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Per-objective (min, max) over all evaluated records: the shared scale
    that makes hypervolumes of different generations comparable."""
    if not records:
        raise ValueError("no records, so no bounds")
    objs = _objectives(records)
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


def dataset_summary(name: str, records: Sequence[dict], wall_time_s: float) -> dict:
    """One row of the cross-dataset table."""
    cheapest = cheapest_near_best(records)
    return {
        "dataset": name,
        "best_accuracy": max(r["accuracy"] for r in records),
        "cheapest_F_Q": cheapest["flops"]["quantum"],
        "cheapest_accuracy": cheapest["accuracy"],
        "cheapest_phenotype_key": cheapest["phenotype_key"],
        "n_evaluations": len(records),
        "wall_time_s": float(wall_time_s),
    }
