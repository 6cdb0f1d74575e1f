"""The paper's claims (FAQNAS, section III) and the rule each verdict follows.

Every rule is a short function of measured numbers and is printed on
docs/results.md beside its verdict (`RULES`), so that a reader can disagree
with the rule rather than with a hidden judgement. Verdicts are one of
"agrees", "disagrees: <why>", "not shown: <why>" (the measurement cannot
tell at the stated level) and "not measured: <why>".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from faqnas.search.pareto import ACC_TOL
from faqnas.study.stats import ALPHA, holm, rank_sum_p, smallest_p


@dataclass(frozen=True)
class Plateau:
    """The accuracy range the paper reports a dataset's plateau at."""

    text: str
    low: float
    high: float = 1.0


# Section III-B: MNIST plateaus "near 90%", Digits "near 100%", Iris and Wine
# reach "above 90%", Breast Cancer lies at "90–95%". "Near" is read as
# within 5 points.
PLATEAUS = {
    "mnist": Plateau("plateaus near 90% beyond ~10^5 FLOPs", 0.85, 0.95),
    "digits": Plateau("saturates near 100%", 0.95),
    "iris": Plateau("from ~40% to above 90%", 0.90),
    "wine": Plateau("high-accuracy models (>90%) at modest budgets", 0.90),
    "breast_cancer": Plateau("a dense cluster at ~90–95%", 0.90, 0.95),
}

CLAIMS = {
    "plateau": "Accuracy generally increases with FLOPs but saturates after a "
    "dataset-dependent threshold.",
    "drivers": "In all cases, improvements in accuracy are primarily driven by quantum "
    "FLOPs, since classical FLOPs remain largely fixed.",
    "awareness": "Pareto-optimal solutions reveal that competitive accuracy can often be "
    "achieved with significantly reduced computational cost compared to FLOPs-agnostic "
    "baselines.",
    "budget": "Large-scale datasets such as MNIST require higher FLOPs budgets to reach "
    "strong performance.",
}

RULES = {
    "plateau": "the plateau level is the best phenotype's test accuracy, mean over the "
    "table's seeds, with its 95 % t interval (pooled seed noise); agrees when the interval "
    "lies inside the paper's range ('near' = within 5 points), disagrees when it lies "
    "entirely outside, not shown when it straddles a bound. The threshold is the smallest "
    "F_Q whose mean test accuracy is not significantly below the best (one-sided, α = 0.05).",
    "drivers": "partial Spearman correlation of mean test accuracy with F_Q given the "
    "number of qubits, over every phenotype of the table, 95 % bootstrap interval; agrees "
    "when the interval lies above 0, disagrees when below, not shown when it contains 0. "
    "Classical FLOPs (4·d·n + 6·n·C) are a function of the qubits n: given n they do not "
    "vary, so their partial correlation is undefined and the 'fixed' half of the claim "
    "holds by design.",
    "awareness": "at the largest budget, paired over seeds, FLOPs-aware against FLOPs-"
    "agnostic search: agrees when the compromise's log10 F_Q is significantly lower "
    "(Wilcoxon signed-rank, Holm-adjusted p < 0.05) and its accuracy is within the noise "
    "(the 95 % bootstrap interval of the mean accuracy difference does not reach below "
    "−margin, margin = the larger of one sample and one run's seed noise); disagrees when "
    "the F_Q is significantly higher, or the accuracy significantly lower and the whole "
    "interval below −margin; else not shown.",
    "budget": "compromise F_Q of the FLOPs-aware searches at the largest budget every "
    "MNIST search reached, MNIST's live searches against each table's replays at that "
    "budget (the same quantity, made the same way): agrees when MNIST's is significantly "
    "higher than every other dataset's (Mann-Whitney U, Holm over the datasets, p < "
    "0.05); disagrees when another's is significantly higher; else not shown. The plateau "
    "thresholds of the tables (the same rule on each) are listed beside it.",
}

AGREES = "agrees"
LARGEST = "mnist"


def plateau_verdict(dataset: str, low: float, high: float) -> str:
    """The plateau level's 95 % interval (low, high) against the paper's range."""
    paper = PLATEAUS.get(dataset)
    if paper is None:
        return "not measured: the paper states no plateau for this dataset"
    if low >= paper.low - ACC_TOL and high <= paper.high + ACC_TOL:
        return AGREES
    if high < paper.low:
        return "disagrees: the plateau is lower"
    if low > paper.high:
        return "disagrees: the plateau is higher"
    return "not shown: the interval straddles the paper's range"


def drivers_verdict(ci: Sequence[float] | None) -> str:
    """The interval of the partial correlation of accuracy with F_Q given the qubits."""
    if ci is None:
        return "not measured: F_Q or accuracy does not vary at fixed qubits"
    if ci[0] > 0:
        return AGREES
    if ci[1] < 0:
        return "disagrees: at fixed qubits, accuracy falls as F_Q grows"
    return "not shown: the interval contains 0"


def awareness_verdict(cost: Mapping, accuracy: Mapping, margin: float, alpha: float = ALPHA) -> str:
    """FLOPs-aware against FLOPs-agnostic at one budget.

    Args:
        cost: the comparison row (`faqnas.study.comparisons.COLUMNS`) of
            ``log10_compromise_F_Q``.
        accuracy: that of the compromise's accuracy.
        margin: the accuracy difference within the noise.
        alpha: the family-wise level.
    """
    if not cost["pairs"]:
        return "not measured: no paired searches"
    if cost["p_holm"] < alpha and cost["mean_difference"] > 0:
        return "disagrees: the FLOPs-aware compromise costs significantly more F_Q"
    if (accuracy["p_holm"] < alpha and accuracy["mean_difference"] < 0
            and accuracy["ci_high"] < -margin):
        return "disagrees: the FLOPs-aware compromise is significantly less accurate"
    cheaper = cost["p_holm"] < alpha and cost["mean_difference"] < 0
    competitive = accuracy["ci_low"] >= -margin - ACC_TOL
    if cheaper and competitive:
        return AGREES
    reasons = []
    if not cheaper:
        reasons.append("F_Q not significantly lower")
        if smallest_p(cost["pairs"]) >= alpha:
            reasons.append(f"{cost['pairs']} seeds cannot reach p < {alpha} "
                           f"(smallest p {smallest_p(cost['pairs']):.3g})")
    if not competitive:
        reasons.append("the accuracy interval reaches below the noise margin")
    return "not shown: " + "; ".join(reasons)


def budget_comparison(
    largest: Sequence[float], others: Mapping[str, Sequence[float]], alpha: float = ALPHA
) -> tuple[list[dict], str]:
    """The largest dataset's compromise F_Q against each other dataset's.

    Args:
        largest: MNIST's FLOPs-aware compromise F_Q, one per seed.
        others: dataset -> its FLOPs-aware compromise F_Q at the same budget.
        alpha: the family-wise level.

    Returns:
        One row per other dataset (``dataset``, ``p``, ``p_holm``,
        ``higher``: whether MNIST's median is higher), and the verdict.
    """
    if not len(largest):
        return [], f"not measured: no live {LARGEST} searches"
    if not others:
        return [], "not measured: no other dataset to compare with"
    names = sorted(others)
    p = [rank_sum_p(largest, others[name]) for name in names]
    rows = [
        {"dataset": name, "p": pi, "p_holm": adjusted,
         "higher": bool(np.median(largest) > np.median(others[name]))}
        for name, pi, adjusted in zip(names, p, holm(p))
    ]
    significant = [r for r in rows if r["p_holm"] < alpha]
    if any(not r["higher"] for r in significant):
        return rows, "disagrees: another dataset's compromise needs significantly more F_Q"
    if len(significant) == len(rows):
        return rows, AGREES
    return rows, "not shown: not significantly higher than every other dataset's"
