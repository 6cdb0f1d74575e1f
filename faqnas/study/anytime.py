"""What a search offers after n evaluations, for every variant, seed and n.

A search is measured at fixed numbers of evaluations (budgets), never where
its stopping rule left it, so that variants compared at n evaluations had
equal budgets. At each budget n, over the distinct phenotypes among its
first n evaluations:

- ``hypervolume``: their hypervolume in the (log10 F_Q, 1 - accuracy) plane
  with the space's fixed bounds (`faqnas.study.plane`), at the accuracies
  the search saw (its training runs' validation accuracies);
- ``share``: the hypervolume of the same phenotypes at their table accuracy
  (validation, the mean over the table's seeds) over that of the whole
  table's: how much of the true front the search has found, in [0, 1];
  only with a table;
- the compromise: the architecture the search would hand over, its
  Pareto set's point nearest the ideal (paper, Alg. 1) in the objectives
  it minimised (random search: the FLOPs-aware ones), with its F_Q, the
  validation accuracy the search saw, and (with a table) its test accuracy
  averaged over the table's seeds: what re-training it is expected to give.

Evaluations come as a table of rows (`EVALUATION_COLUMNS`), from replays
(`faqnas.study.replays`) or live searches (`faqnas.study.live`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from faqnas.replay.variants import RANDOM
from faqnas.search.duplicates import first_of_each_phenotype
from faqnas.search.objectives import FLOPS_AWARE, objectives
from faqnas.search.pareto import compromise_record
from faqnas.study.plane import Bounds, plane_hypervolume

# One row per evaluation: which search (variant, run seed, the table seed
# whose training it saw), where in it, and what it saw.
EVALUATION_COLUMNS = [
    "variant", "seed", "table_seed", "position", "generation", "phenotype_key", "n_qubits",
    "accuracy", "F_Q", "params",
]
MEASURE_COLUMNS = [
    "variant", "seed", "table_seed", "budget", "evaluations", "phenotypes", "hypervolume",
    "share", "compromise_key", "compromise_F_Q", "compromise_val_accuracy",
    "compromise_test_accuracy",
]


@dataclass(frozen=True)
class TrueFront:
    """What a table knows of every phenotype, for the measures that need it.

    Args:
        val_accuracy: phenotype key -> validation accuracy, mean over seeds.
        test_accuracy: phenotype key -> test accuracy, mean over seeds.
        flops: phenotype key -> F_Q.
        hypervolume: of every phenotype at ``val_accuracy``.
    """

    val_accuracy: dict[str, float]
    test_accuracy: dict[str, float]
    flops: dict[str, int]
    hypervolume: float

    @classmethod
    def of(cls, means: pd.DataFrame, bounds: Bounds) -> "TrueFront":
        """From `faqnas.study.phenotypes.phenotype_means` and the plane's bounds."""
        keys = means["phenotype_key"]
        return cls(
            dict(zip(keys, means["val_accuracy"].astype(float))),
            dict(zip(keys, means["test_accuracy"].astype(float))),
            dict(zip(keys, means["F_Q"].astype(int))),
            plane_hypervolume(means["F_Q"], means["val_accuracy"], bounds),
        )


def mode_of_variant(variant: str) -> str:
    """The objectives a variant's search hands over in (random: FLOPs-aware)."""
    return FLOPS_AWARE if variant == RANDOM else variant


def search_records(rows: pd.DataFrame, mode: str) -> list[dict]:
    """One search's evaluation rows as the records `faqnas.search.pareto` reads.

    Args:
        rows: its `EVALUATION_COLUMNS` rows, in evaluation order.
        mode: the objectives of its records.

    Returns:
        Records with ``phenotype_key``, ``accuracy``, ``flops.quantum``,
        ``params.total`` and ``objectives``.
    """
    columns = (rows["phenotype_key"], rows["accuracy"], rows["F_Q"], rows["params"])
    records = [
        {"phenotype_key": key, "accuracy": float(acc), "flops": {"quantum": int(f_q)},
         "params": {"total": int(params)}}
        for key, acc, f_q, params in zip(*(c.tolist() for c in columns))
    ]
    for record in records:
        record["objectives"] = objectives(record, mode)
    return records


def measures_at(
    records: Sequence[dict], budget: int, bounds: Bounds, true: TrueFront | None
) -> dict:
    """The measures of one search after ``budget`` evaluations.

    Args:
        records: its `search_records`, in order.
        budget: n; a search that evaluated fewer genomes (a live search its
            stopping rule ended) has NaN measures there.
        bounds: the plane's.
        true: the table's phenotypes, or None for a search without a table.

    Returns:
        The `MEASURE_COLUMNS` from ``budget`` on.
    """
    row = {"budget": budget, "evaluations": min(budget, len(records))}
    if len(records) < budget:
        return {**row, "phenotypes": np.nan, "hypervolume": np.nan, "share": np.nan,
                "compromise_key": None, "compromise_F_Q": np.nan,
                "compromise_val_accuracy": np.nan, "compromise_test_accuracy": np.nan}
    found = first_of_each_phenotype(records[:budget])
    keys = [r["phenotype_key"] for r in found]
    flops = [r["flops"]["quantum"] for r in found]
    compromise = compromise_record(found)
    share = test = np.nan
    if true is not None:
        share = plane_hypervolume(flops, [true.val_accuracy[k] for k in keys], bounds)
        share /= true.hypervolume
        test = true.test_accuracy[compromise["phenotype_key"]]
    return {
        **row,
        "phenotypes": len(found),
        "hypervolume": plane_hypervolume(flops, [r["accuracy"] for r in found], bounds),
        "share": share,
        "compromise_key": compromise["phenotype_key"],
        "compromise_F_Q": compromise["flops"]["quantum"],
        "compromise_val_accuracy": compromise["accuracy"],
        "compromise_test_accuracy": test,
    }


def anytime_measures(
    evaluations: pd.DataFrame, budgets: Sequence[int], bounds: Bounds, true: TrueFront | None
) -> pd.DataFrame:
    """`measures_at` every budget for every search of ``evaluations``.

    Args:
        evaluations: `EVALUATION_COLUMNS` rows of any number of searches.
        budgets: the evaluation counts to measure at.
        bounds: the plane's.
        true: the table's phenotypes, or None.

    Returns:
        One `MEASURE_COLUMNS` row per (variant, seed, budget), searches in
        the order they first appear.
    """
    rows = []
    for (variant, seed), search in evaluations.groupby(["variant", "seed"], sort=False):
        search = search.sort_values("position", kind="stable")
        records = search_records(search, mode_of_variant(variant))
        table_seed = search["table_seed"].iloc[0]
        for budget in budgets:
            rows.append({"variant": variant, "seed": seed, "table_seed": table_seed,
                         **measures_at(records, budget, bounds, true)})
    return pd.DataFrame(rows, columns=MEASURE_COLUMNS)
