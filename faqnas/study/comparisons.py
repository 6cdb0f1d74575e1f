"""FLOPs-aware search against each other variant, budget by budget.

For every budget, baseline and measure: the paired differences over seeds
(FLOPs-aware minus baseline), their mean with a 95 % percentile bootstrap
interval, Wilcoxon's signed-rank test (two-sided, `faqnas.study.stats`),
Vargha and Delaney's A12 (the probability that a FLOPs-aware search's value
exceeds a baseline search's), and the p-value Holm-adjusted within the
budget's family: every baseline × measure at that budget. F_Q is compared
on a log scale (log10 of the compromise's F_Q), so that a difference is a
ratio, as the plane reads it.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from faqnas.search.objectives import FLOPS_AWARE
from faqnas.search.seeds import derive_seed
from faqnas.study.stats import (
    ALPHA,
    RESAMPLES,
    a12,
    holm,
    interval,
    mean_difference,
    signed_rank_p,
)

# Measure -> (what it is, which way is better). Searches with a table are
# compared on what the table knows; live searches on what they saw.
MEASURES = {
    "share": ("share of the true front's hypervolume", "higher"),
    "hypervolume": ("hypervolume, (log10 F_Q, 1 - validation accuracy)", "higher"),
    "compromise_test_accuracy": ("test accuracy of the compromise", "higher"),
    "compromise_val_accuracy": ("validation accuracy of the compromise", "higher"),
    "log10_compromise_F_Q": ("log10 F_Q of the compromise", "lower"),
}
TABLE_MEASURES = ("share", "compromise_test_accuracy", "log10_compromise_F_Q")
LIVE_MEASURES = ("hypervolume", "compromise_val_accuracy", "log10_compromise_F_Q")
COLUMNS = [
    "budget", "baseline", "measure", "pairs", "median_aware", "median_baseline",
    "mean_difference", "ci_low", "ci_high", "p", "p_holm", "a12", "significant",
]


def with_log_flops(measures: pd.DataFrame) -> pd.DataFrame:
    """``measures`` with ``log10_compromise_F_Q`` (F_Q below 1 counts as 1)."""
    flops = np.maximum(measures["compromise_F_Q"].astype(float), 1.0)
    return measures.assign(log10_compromise_F_Q=np.log10(flops))


def compare_pair(
    aware: np.ndarray, baseline: np.ndarray, seed: int, resamples: int = RESAMPLES
) -> dict:
    """The statistics of paired samples (FLOPs-aware, baseline).

    Args:
        aware, baseline: one value per seed, paired.
        seed, resamples: of the bootstrap interval.

    Returns:
        ``pairs``, both medians, ``mean_difference`` (aware - baseline),
        ``ci_low``/``ci_high`` of it, ``p`` (Wilcoxon) and ``a12``; NaN
        statistics for no pairs.
    """
    if not len(aware):
        nan = float("nan")
        return {"pairs": 0, "median_aware": nan, "median_baseline": nan, "mean_difference": nan,
                "ci_low": nan, "ci_high": nan, "p": nan, "a12": nan}
    low, high = interval([aware, baseline], mean_difference, seed, resamples)
    return {
        "pairs": len(aware),
        "median_aware": float(np.median(aware)),
        "median_baseline": float(np.median(baseline)),
        "mean_difference": float(np.mean(aware - baseline)),
        "ci_low": low,
        "ci_high": high,
        "p": signed_rank_p(aware, baseline),
        "a12": a12(aware, baseline),
    }


def compare_variants(
    measures: pd.DataFrame,
    dataset: str,
    measure_names: Sequence[str],
    alpha: float = ALPHA,
    resamples: int = RESAMPLES,
) -> pd.DataFrame:
    """FLOPs-aware against every other variant of ``measures``, per budget.

    Args:
        measures: `faqnas.study.anytime.anytime_measures` of one dataset.
        dataset: seeds the bootstraps.
        measure_names: keys of `MEASURES` to compare.
        alpha: the family-wise level of ``significant``.
        resamples: bootstrap resamples.

    Returns:
        `COLUMNS` rows; ``significant`` is ``p_holm < alpha``. Seeds a
        variant lacks, or where a measure is NaN (a live search that
        stopped earlier), are left out of that pair.

    Raises:
        ValueError: there is no FLOPs-aware search.
    """
    measures = with_log_flops(measures)
    if FLOPS_AWARE not in set(measures["variant"]):
        raise ValueError("no FLOPs-aware search to compare the others with")
    aware = measures[measures["variant"] == FLOPS_AWARE]
    baselines = [v for v in dict.fromkeys(measures["variant"]) if v != FLOPS_AWARE]
    rows = []
    for budget in sorted(measures["budget"].unique()):
        family = []
        for baseline in baselines:
            other = measures[(measures["variant"] == baseline) & (measures["budget"] == budget)]
            both = aware[aware["budget"] == budget].merge(other, on="seed", suffixes=("", "_b"))
            for name in measure_names:
                pair = both[[name, f"{name}_b"]].dropna().to_numpy(dtype=float)
                seed = derive_seed(0, dataset, int(budget), baseline, name)
                family.append({"budget": int(budget), "baseline": baseline, "measure": name,
                               **compare_pair(pair[:, 0], pair[:, 1], seed, resamples)})
        adjusted = holm([row["p"] for row in family])
        for row, p in zip(family, adjusted):
            rows.append({**row, "p_holm": p, "significant": bool(p < alpha)})
    return pd.DataFrame(rows, columns=COLUMNS)
