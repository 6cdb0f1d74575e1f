"""Rule ``compare``: the searches of one dataset in the (F_Q, 1 - accuracy) plane.

The paper's claim is about cost and accuracy, so FLOPs-aware and FLOPs-
agnostic searches are compared on the genomes each evaluated, seen in that
plane alone: whatever a search minimised, every genome it trained has an
accuracy and a profiled F_Q. F_Q spans orders of magnitude across the search
space and the paper reads it on a log scale, so the plane's first axis is
log10 F_Q. Both axes are mapped to [0, 1] with bounds shared by every search
of the dataset (and its exhaustive evaluation, which spans the whole space),
and hypervolumes are taken against the reference point (1.1, 1.1), as for
the per-generation hypervolume of a search.

Inputs are the ``evaluations.tsv`` tables a search (or the exhaustive
evaluation) writes: one row per evaluated genome, in evaluation order, with
``generation``, ``accuracy`` and ``F_Q``.
"""

from __future__ import annotations

import json
import sys
from typing import Sequence

import numpy as np
import pandas as pd

from faqnas.records import write_json
from faqnas.reporting.plots import plot_study_fronts, plot_study_hypervolume
from faqnas.search.pareto import cheapest_near_best_index
from faqnas.study.plane import plane_bounds, plane_front, plane_hypervolume

# Fractions of the true front's hypervolume whose first crossing is reported.
MILESTONES = (0.9, 0.95, 0.99)


def hypervolume_by_evaluations(
    table: pd.DataFrame, bounds: tuple[np.ndarray, np.ndarray]
) -> pd.DataFrame:
    """Hypervolume of all genomes evaluated up to each generation."""
    rows = []
    for generation in sorted(table["generation"].unique()):
        seen = table[table["generation"] <= generation]
        rows.append(
            {
                "generation": int(generation),
                "evaluations": len(seen),
                "hypervolume": plane_hypervolume(seen, bounds),
            }
        )
    return pd.DataFrame(rows)


def cheapest_near_best(table: pd.DataFrame) -> pd.Series:
    """The row of least F_Q within one point of the table's best accuracy,
    by the same rule as a search's own summary."""
    return table.iloc[cheapest_near_best_index(table["accuracy"].tolist(), table["F_Q"].tolist())]


def first_reaching(progress: pd.DataFrame, target: float) -> int | None:
    """Evaluations after which the hypervolume first reached ``target``."""
    reached = progress[progress["hypervolume"] >= target - 1e-12]
    return int(reached["evaluations"].iloc[0]) if len(reached) else None


def search_row(
    table: pd.DataFrame,
    bounds: tuple[np.ndarray, np.ndarray],
    true_hypervolume: float | None = None,
) -> dict:
    """What one search found, in the plane: best accuracy, the cheapest genome
    within one point of it, hypervolume, and its share of the true front's."""
    cheapest = cheapest_near_best(table)
    progress = hypervolume_by_evaluations(table, bounds)
    volume = float(progress["hypervolume"].iloc[-1])
    row = {
        "evaluations": len(table),
        "generations": int(table["generation"].max()) + 1,
        "best_accuracy": float(table["accuracy"].max()),
        "cheapest_F_Q": int(cheapest["F_Q"]),
        "cheapest_accuracy": float(cheapest["accuracy"]),
        "cheapest_phenotype_key": cheapest["phenotype_key"],
        "hypervolume": volume,
    }
    if true_hypervolume:
        row["share_of_true_hypervolume"] = volume / true_hypervolume
        for milestone in MILESTONES:
            row[f"evaluations_to_{round(100 * milestone)}pct"] = first_reaching(
                progress, milestone * true_hypervolume
            )
    return row


def seed_spread(runs: pd.DataFrame) -> pd.DataFrame:
    """Per objectives: the final hypervolume's mean and standard deviation over
    seeds (sample std, ddof=1; NaN for a single seed), and the cheapest F_Q's."""
    grouped = runs.groupby("objectives", sort=False)
    return pd.DataFrame(
        {
            "seeds": grouped["seed"].nunique(),
            "hypervolume_mean": grouped["hypervolume"].mean(),
            "hypervolume_std": grouped["hypervolume"].std(ddof=1),
            "cheapest_F_Q_mean": grouped["cheapest_F_Q"].mean(),
            "best_accuracy_mean": grouped["best_accuracy"].mean(),
        }
    ).reset_index()


def spearman(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Spearman's rank correlation (average ranks for ties); None if either is
    constant (e.g. classical FLOPs when the space has one qubit count)."""
    ra = pd.Series(a, dtype=float).rank().to_numpy()
    rb = pd.Series(b, dtype=float).rank().to_numpy()
    if ra.std() == 0 or rb.std() == 0:
        return None
    return float(np.corrcoef(ra, rb)[0, 1])


def flops_drivers(table: pd.DataFrame) -> dict:
    """How accuracy follows quantum and classical FLOPs over evaluated genomes:
    rank correlations, and how far each kind of FLOPs varies (max / min)."""
    return {
        "genomes": len(table),
        "spearman_accuracy_F_Q": spearman(table["accuracy"], table["F_Q"]),
        "spearman_accuracy_F_classical": spearman(table["accuracy"], table["F_classical"]),
        "F_Q_range": float(table["F_Q"].max() / max(table["F_Q"].min(), 1)),
        "F_classical_range": float(table["F_classical"].max() / max(table["F_classical"].min(), 1)),
    }


def compare_searches(
    dataset: str,
    runs: Sequence[dict],
    tables: Sequence[pd.DataFrame],
    exhaustive: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Everything a study measured on one dataset.

    ``runs`` are the searches' {objectives, seed}, ``tables`` their
    evaluations, in the same order; the first search with the configured
    objectives and the run seed comes first. Returns one row per search, the
    hypervolume per generation of each search, and the numbers the paper's
    claims are checked on (see `faqnas.study.claims`).
    """
    if len(runs) != len(tables) or not runs:
        raise ValueError(f"{len(runs)} searches but {len(tables)} evaluation tables")
    bounds = plane_bounds([*tables, *([exhaustive] if exhaustive is not None else [])])
    true_volume = plane_hypervolume(exhaustive, bounds) if exhaustive is not None else None
    rows, progress = [], []
    for run, table in zip(runs, tables):
        rows.append({**run, **search_row(table, bounds, true_volume)})
        progress.append(hypervolume_by_evaluations(table, bounds).assign(**run))
    searches = pd.DataFrame(rows)
    spread = seed_spread(searches)

    # The claims about the space (plateau, what drives accuracy) are read off
    # the exhaustive evaluation when there is one, else off every genome the
    # searches trained with the run seed (the same seed gives the same record).
    first_seed = runs[0]["seed"]
    space_view = exhaustive if exhaustive is not None else (
        pd.concat([t for r, t in zip(runs, tables) if r["seed"] == first_seed])
        .drop_duplicates("phenotype_key")
    )
    threshold = cheapest_near_best(space_view)
    claims = {
        "dataset": dataset,
        "source": "exhaustive" if exhaustive is not None else "searches",
        "plateau": {
            "best_accuracy": float(space_view["accuracy"].max()),
            "threshold_F_Q": int(threshold["F_Q"]),
            "threshold_accuracy": float(threshold["accuracy"]),
            "threshold_phenotype_key": threshold["phenotype_key"],
            "max_F_Q": int(space_view["F_Q"].max()),
        },
        "drivers": flops_drivers(space_view),
        # JSON has no NaN: the spread of a single seed is null.
        "spread": spread.astype(object).where(spread.notna(), None).to_dict(orient="records"),
    }
    if exhaustive is not None:
        front = plane_front(exhaustive)
        claims["exhaustive"] = {
            "phenotypes": len(exhaustive),
            "true_hypervolume": true_volume,
            "true_front": front[["phenotype_key", "F_Q", "accuracy"]].to_dict(orient="records"),
        }
    return searches, pd.concat(progress, ignore_index=True), claims


def compare(
    search_tables: Sequence[str],
    exhaustive_table: Sequence[str],
    outputs,
    *,
    dataset: str,
    runs: Sequence[dict],
) -> None:
    """Compare a study's searches of one dataset and draw them.

    Args:
        search_tables: each search's ``evaluations.tsv``, in the order of ``runs``.
        exhaustive_table: the exhaustive evaluation's table, or empty.
        outputs: paths with the attributes ``searches``, ``progress``,
            ``claims``, ``fronts``, ``hypervolume``.
        dataset: the dataset's name.
        runs: each search's ``{"objectives": mode, "seed": seed}``.
    """
    tables = [pd.read_csv(path, sep="\t") for path in search_tables]
    exhaustive = pd.read_csv(exhaustive_table[0], sep="\t") if exhaustive_table else None
    searches, progress, claims = compare_searches(dataset, runs, tables, exhaustive)
    searches.to_csv(outputs.searches, sep="\t", index=False)
    progress.to_csv(outputs.progress, sep="\t", index=False)
    write_json(outputs.claims, claims)
    plot_study_fronts(
        [
            (f"{r['objectives']}, seed {r['seed']}", r["objectives"], plane_front(t))
            for r, t in zip(runs, tables)
        ],
        exhaustive,
        outputs.fronts,
        f"{dataset}: front of each search in the (F_Q, accuracy) plane",
    )
    plot_study_hypervolume(
        progress,
        claims.get("exhaustive", {}).get("true_hypervolume"),
        outputs.hypervolume,
        f"{dataset}: hypervolume of the genomes evaluated so far",
    )
    print(searches.to_string(), file=sys.stderr)
    print(json.dumps(claims["plateau"]), file=sys.stderr)
