"""Where accuracy stops growing with F_Q: the plateau of a dataset's table.

Each phenotype's accuracy is its test accuracy averaged over the table's k
seeds; one run's noise is sigma (`faqnas.study.noise`: the pooled seed
spread, with df degrees of freedom). The plateau level is the best mean,
with the 95 % t interval mean ± t(0.975, df) · sigma / sqrt(k). The
threshold is the smallest F_Q whose best mean accuracy is not significantly
below the best: a phenotype is significantly below when the best mean
exceeds its mean by more than t(1 - alpha, df) · sigma · sqrt(2 / k), a
one-sided test at alpha of two means of k runs each. The best of 8,640
noisy means is biased upwards, which makes the threshold conservative
(later, not earlier).
"""

from __future__ import annotations

import math

import pandas as pd
from scipy import stats

from faqnas.search.pareto import ACC_TOL
from faqnas.study.plane import plane_front
from faqnas.study.stats import ALPHA


def _row(means: pd.DataFrame, index, half: float) -> dict:
    row = means.loc[index]
    return {"phenotype_key": row["phenotype_key"], "F_Q": int(row["F_Q"]),
            "accuracy": float(row["test_accuracy"]),
            "ci": (float(row["test_accuracy"] - half), float(row["test_accuracy"] + half))}


def plateau(means: pd.DataFrame, sd: float, df: int, seeds: int, alpha: float = ALPHA) -> dict:
    """The plateau level and threshold of a table.

    Args:
        means: `faqnas.study.phenotypes.phenotype_means`.
        sd: one run's test-accuracy noise sigma.
        df: its degrees of freedom (> 0).
        seeds: k, the runs each mean averages.
        alpha: the test's level.

    Returns:
        ``best`` and ``threshold`` (each ``phenotype_key``, ``F_Q``,
        ``accuracy``, ``ci``), ``below_best`` (the least significant
        shortfall), ``half_width`` (of a mean's interval), ``max_F_Q``,
        ``seeds``, ``df``, ``alpha``.

    Raises:
        ValueError: no phenotype has a test accuracy, or df < 1.
    """
    if df < 1:
        raise ValueError(f"the plateau needs the noise's degrees of freedom, got {df}")
    scored = means.dropna(subset=["test_accuracy"])
    if scored.empty:
        raise ValueError("no phenotype has a test accuracy")
    half = stats.t.ppf(1 - alpha / 2, df) * sd / math.sqrt(seeds)
    below = stats.t.ppf(1 - alpha, df) * sd * math.sqrt(2 / seeds)
    best = scored["test_accuracy"].idxmax()
    near = scored[scored["test_accuracy"] >= scored.loc[best, "test_accuracy"] - below - ACC_TOL]
    # The cheapest of them; among equally cheap ones the more accurate.
    threshold = near.sort_values(["F_Q", "test_accuracy"], ascending=[True, False]).index[0]
    return {
        "best": _row(scored, best, half),
        "threshold": _row(scored, threshold, half),
        "below_best": float(below),
        "half_width": float(half),
        "max_F_Q": int(scored["F_Q"].max()),
        "seeds": int(seeds),
        "df": int(df),
        "alpha": alpha,
    }


def plateau_curve(means: pd.DataFrame) -> pd.DataFrame:
    """The best mean test accuracy reachable within each F_Q: the 2-D front of
    the table in (F_Q, mean test accuracy), cheapest first."""
    front = plane_front(means.dropna(subset=["test_accuracy"]), "test_accuracy")
    return front[["phenotype_key", "F_Q", "test_accuracy"]].reset_index(drop=True)
