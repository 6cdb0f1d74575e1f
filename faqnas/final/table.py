"""Rule ``final_table``: the final stage's table: one row per architecture, its test accuracy over
training seeds with a 95 % interval, and how well the search's ranking
predicts the final one."""

from __future__ import annotations

import math
from typing import NamedTuple, Sequence

import numpy as np
import pandas as pd

from faqnas.records import read_json, write_json

CONFIDENCE = 0.95
# Columns of `summarise_final`'s input that vary from seed to seed; every
# other column describes the architecture.
PER_SEED_COLUMNS = ("seed", "test_accuracy", "validation_accuracy", "train_seconds")

def summarise_final(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per architecture from the per-seed rows of final re-training.

    The 95 % interval of the test accuracy is Student's t interval,
    mean ± t(0.975, n-1) · sd / √n (``scipy.stats.t.interval``). Chosen over
    the bootstrap because there are only a handful of seeds (5 by default):
    a percentile bootstrap of 5 values can only resample 126 distinct
    multisets and its intervals are systematically too narrow (it ignores
    the uncertainty of the sd), while the t interval is exact when seed to
    seed variation is normal and is what readers expect for a few runs.
    It is not clipped to [0, 1], so its width stays that of the t interval;
    a bound beyond 1 shows that the normal assumption is strained near the
    ceiling. With one seed sd and interval are NaN (no spread can be
    estimated); with seeds that agree exactly the interval is the mean.

    Args:
        rows (pd.DataFrame): one row per (architecture, seed) with columns
            ``phenotype_key`` and `PER_SEED_COLUMNS` (``seed``,
            ``test_accuracy``, ``validation_accuracy``, ``train_seconds``).
            Any other column (genes, the search's accuracy, F_Q, params)
            describes the architecture, must be the same for all its seeds,
            and is carried over.

    Returns:
        pd.DataFrame: one row per ``phenotype_key``, in order of first
        appearance: ``phenotype_key``, the carried columns, ``seeds`` (how
        many), ``test_accuracy_mean``, ``test_accuracy_sd`` (ddof=1),
        ``test_accuracy_ci95_low``, ``test_accuracy_ci95_high``,
        ``validation_accuracy_mean``, ``train_seconds`` (sum over seeds).

    Raises:
        ValueError: a required column is missing, a (phenotype_key, seed)
            pair repeats, or a carried column differs between seeds.
    """
    missing = [c for c in ("phenotype_key", *PER_SEED_COLUMNS) if c not in rows.columns]
    if missing:
        raise ValueError(f"final rows lack the columns {missing}")
    repeated = rows[rows.duplicated(["phenotype_key", "seed"])]
    if len(repeated):
        pairs = list(zip(repeated["phenotype_key"], repeated["seed"]))[:5]
        raise ValueError(f"(phenotype_key, seed) rows repeat: {pairs}")
    carried = [c for c in rows.columns if c not in ("phenotype_key", *PER_SEED_COLUMNS)]
    groups = rows.groupby("phenotype_key", sort=False)
    if carried:
        varying = [c for c in carried if (groups[c].nunique(dropna=False) > 1).any()]
        if varying:
            raise ValueError(
                f"columns {varying} differ between seeds of one architecture; "
                f"only {list(PER_SEED_COLUMNS)} may"
            )
    out = groups[carried].first() if carried else pd.DataFrame(index=groups.size().index)
    test = groups["test_accuracy"]
    out["seeds"] = groups.size()
    out["test_accuracy_mean"] = test.mean()
    out["test_accuracy_sd"] = test.std(ddof=1)
    bounds = {key: _t_interval(acc.to_numpy(dtype=float)) for key, acc in test}
    out["test_accuracy_ci95_low"] = [bounds[key][0] for key in out.index]
    out["test_accuracy_ci95_high"] = [bounds[key][1] for key in out.index]
    out["validation_accuracy_mean"] = groups["validation_accuracy"].mean()
    out["train_seconds"] = groups["train_seconds"].sum()
    return out.reset_index()


def _t_interval(values: np.ndarray) -> tuple[float, float]:
    from scipy import stats

    n = len(values)
    if n < 2:
        return math.nan, math.nan
    mean, sem = float(values.mean()), float(values.std(ddof=1)) / math.sqrt(n)
    if sem == 0:
        # scipy rejects a zero scale; the t interval's width is zero then.
        return mean, mean
    low, high = stats.t.interval(CONFIDENCE, n - 1, loc=mean, scale=sem)
    return float(low), float(high)


class KendallTau(NamedTuple):
    """Kendall's rank correlation and its two-sided p-value."""

    tau: float
    pvalue: float


def kendall_tau(search_accuracy, final_accuracy) -> KendallTau:
    """How well the search's accuracies rank the architectures as re-training does.

    Kendall's tau-b (``scipy.stats.kendalltau``) between the two, one
    value per architecture. Pairs with a NaN in either are left out.

    Args:
        search_accuracy (array-like): accuracy each architecture had in the search.
        final_accuracy (array-like): its accuracy after final re-training
            (e.g. the test accuracy mean).

    Returns:
        KendallTau: ``(tau, pvalue)``; both NaN with fewer than 2 complete
        pairs or when either side is constant (no ranking to compare).

    Raises:
        ValueError: the two have different lengths.
    """
    from scipy import stats

    x = np.asarray(search_accuracy, dtype=float).ravel()
    y = np.asarray(final_accuracy, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"{len(x)} search accuracies but {len(y)} final accuracies")
    complete = np.isfinite(x) & np.isfinite(y)
    x, y = x[complete], y[complete]
    if len(x) < 2 or np.all(x == x[0]) or np.all(y == y[0]):
        return KendallTau(math.nan, math.nan)
    result = stats.kendalltau(x, y)
    return KendallTau(float(result.statistic), float(result.pvalue))


def final_table(
    record_paths: Sequence[str],
    compromise_path: str,
    table_path: str,
    summary_path: str,
) -> None:
    """Rule ``final_table``: one row per re-trained architecture, and the
    dataset's numbers.

    Args:
        record_paths: every ``final/{phenotype_key}/seed{s}.json``.
        compromise_path: the search's ``compromise.json``.
        table_path: ``final.tsv``: phenotype key, genes, compromise, seeds,
            test accuracy mean, sd and 95 % interval, validation accuracy
            mean, the search's accuracy, F_Q, analytic F_Q, params, training
            seconds.
        summary_path: ``final.json``: what the accuracies were scored on,
            the training-seed noise (mean sd of test accuracy over seeds),
            Kendall's tau between the search's accuracy and the mean test
            accuracy, and the compromise genome's row.

    Raises:
        RecordError: a record is not valid JSON.
        ValueError: as `summarise_final`.
    """
    records = [read_json(path) for path in record_paths]
    rows = pd.DataFrame([
        {
            "phenotype_key": r["phenotype_key"],
            **r["genes"],
            "search_accuracy": r["search_accuracy"],
            "F_Q": r["flops"]["quantum"],
            "F_Q_analytic": r["flops"]["quantum_analytic"],
            "params": r["params"]["total"],
            **{column: r[column] for column in PER_SEED_COLUMNS},
        }
        for r in records
    ])
    table = summarise_final(rows)
    compromise = read_json(compromise_path)["phenotype_key"]
    table.insert(1, "compromise", table["phenotype_key"] == compromise)
    table = table.sort_values(["F_Q", "phenotype_key"], kind="stable").reset_index(drop=True)
    table.to_csv(table_path, sep="\t", index=False)
    tau = kendall_tau(table["search_accuracy"], table["test_accuracy_mean"])
    scored_on = sorted({r["scored_on"] for r in records})
    chosen = table[table["compromise"]]
    write_json(summary_path, _json_safe({
        "scored_on": scored_on[0] if len(scored_on) == 1 else scored_on,
        "architectures": len(table),
        "seeds": int(table["seeds"].max()),
        "seed_noise": float(table["test_accuracy_sd"].mean()),
        "kendall_tau": tau.tau,
        "kendall_tau_pvalue": tau.pvalue,
        "compromise": chosen.iloc[0].to_dict() if len(chosen) else None,
    }))


def _json_safe(value):
    """Plain JSON values: numpy scalars as Python ones, NaN as null."""
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
