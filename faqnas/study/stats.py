"""The statistics the claims are decided by, on top of scipy.stats.

- `signed_rank_p`: Wilcoxon's signed-rank test of paired samples (scipy);
- `rank_sum_p`: the Mann-Whitney U test of independent samples (scipy);
- `holm`: Holm's step-down adjustment of a family of p-values;
- `a12`: the Vargha-Delaney effect size, from scipy's Mann-Whitney U;
- `interval`: a percentile bootstrap interval (scipy), seeded;
- `partial_spearman`: the rank correlation of two variables given a
  categorical one, vectorised so that `interval` can resample it.

Every function takes plain sequences and returns plain floats, so the
rules above them (`faqnas.study.comparisons`, `plateau`, `drivers`,
`noise`) stay free of statistics code.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from scipy import stats

# Two-sided 95 % intervals and tests at 5 %, unless a config says otherwise.
ALPHA = 0.05
RESAMPLES = 9999


def signed_rank_p(x: Sequence[float], y: Sequence[float]) -> float:
    """Two-sided p-value of Wilcoxon's signed-rank test of paired ``x`` and ``y``.

    Pratt's treatment of zero differences (scipy's ``zero_method="pratt"``):
    pairs that tie (two variants handing over the same architecture) stay in
    the ranking, which makes the test more conservative than dropping them.
    With ties or zeros scipy uses the normal approximation, else the exact
    distribution.

    Args:
        x, y: paired samples of equal length (one value per seed).

    Returns:
        The p-value; 1.0 when no pair differs (scipy's statistic is then
        undefined, and there is no evidence of a difference).

    Raises:
        ValueError: the samples differ in length or are empty.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) != len(y) or not len(x):
        raise ValueError(f"paired samples of equal, non-zero length, got {len(x)} and {len(y)}")
    if not np.any(x != y):
        return 1.0
    return float(stats.wilcoxon(x, y, zero_method="pratt").pvalue)


def rank_sum_p(x: Sequence[float], y: Sequence[float]) -> float:
    """Two-sided p-value of the Mann-Whitney U test of independent ``x`` and ``y``
    (scipy: exact for small samples without ties, else the normal
    approximation with tie correction).

    Raises:
        ValueError: either sample is empty.
    """
    if not len(x) or not len(y):
        raise ValueError("the rank-sum test needs two non-empty samples")
    return float(stats.mannwhitneyu(x, y, alternative="two-sided").pvalue)


def smallest_p(n: int) -> float:
    """The smallest two-sided p-value the exact signed-rank test reaches with
    ``n`` pairs, 2 / 2**n: with 5 pairs or fewer it cannot fall below 0.05."""
    return min(1.0, 2.0 / 2**n)


def holm(pvalues: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjustment: the family-wise error stays below alpha.

    The i-th smallest of m p-values is multiplied by m - i (i from 0), then
    made non-decreasing in that order and capped at 1; a hypothesis is
    rejected at level alpha when its adjusted p-value is below alpha.

    Args:
        pvalues: the family; NaN (a test that could not be made) is left
            NaN and does not count towards m.

    Returns:
        The adjusted p-values, in the input order.
    """
    p = np.asarray(pvalues, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    tested = np.flatnonzero(~np.isnan(p))
    order = tested[np.argsort(p[tested], kind="stable")]
    m = len(order)
    steps = (m - np.arange(m)) * p[order]
    adjusted[order] = np.minimum(1.0, np.maximum.accumulate(steps))
    return adjusted


def a12(x: Sequence[float], y: Sequence[float]) -> float:
    """Vargha and Delaney's A12: the probability that a value of ``x`` exceeds
    one of ``y``, ties counting half.

    The unpaired form, U1 / (m n) with U1 scipy's Mann-Whitney statistic of
    ``x``: 0.5 is no effect, 1.0 every x above every y, 0.0 the reverse
    (0.56, 0.64 and 0.71 are Vargha and Delaney's small, medium and large).
    It ignores the pairing on purpose: it says how often one variant's
    search beats another's, whichever seeds they ran with.

    Raises:
        ValueError: either sample is empty.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if not len(x) or not len(y):
        raise ValueError("A12 needs two non-empty samples")
    u1 = stats.mannwhitneyu(x, y, alternative="two-sided").statistic
    return float(u1 / (len(x) * len(y)))


def interval(
    samples: Sequence[Sequence[float]],
    statistic: Callable[..., np.ndarray],
    seed: int,
    resamples: int = RESAMPLES,
    confidence: float = 1 - ALPHA,
    paired: bool = True,
) -> tuple[float, float]:
    """A percentile bootstrap interval of ``statistic`` (scipy.stats.bootstrap).

    Percentile rather than BCa: accuracies are ratios of small integers, and
    BCa's acceleration is undefined for the many resamples whose values all
    tie; the percentile interval stays defined (a point when every value is
    the same).

    Args:
        samples: the data, one sequence per argument of ``statistic``.
        statistic: vectorised (takes ``axis``) function of the samples.
        seed: seeds the resampling, so a page regenerates to the digit.
        resamples: bootstrap resamples.
        confidence: the interval's coverage.
        paired: resample the samples' elements together (the same seeds, the
            same phenotypes), not independently.

    Returns:
        (low, high).
    """
    result = stats.bootstrap(
        [np.asarray(s, dtype=float) for s in samples],
        statistic,
        n_resamples=resamples,
        confidence_level=confidence,
        method="percentile",
        paired=paired,
        vectorized=True,
        # Resamples in batches: 9,999 at once of 8,640 phenotypes would
        # hold ~700 MB per array.
        batch=max(1, 2_000_000 // max(1, len(samples[0]))),
        rng=np.random.default_rng(seed),
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def mean_difference(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """The mean of the paired differences x - y (vectorised for `interval`)."""
    return np.mean(x - y, axis=axis)


def _stratum_residuals(values: np.ndarray, strata: np.ndarray) -> np.ndarray:
    """``values`` less the mean of their stratum, row by row (last axis).

    ``strata`` holds small non-negative integer codes of the same shape.
    """
    rows = values.reshape(-1, values.shape[-1])
    codes = strata.reshape(rows.shape).astype(np.int64)
    width = int(codes.max()) + 1
    flat = codes + width * np.arange(len(rows))[:, None]
    sums = np.bincount(flat.ravel(), weights=rows.ravel(), minlength=width * len(rows))
    counts = np.bincount(flat.ravel(), minlength=width * len(rows))
    means = sums / np.maximum(counts, 1)
    return (rows - means[flat]).reshape(values.shape)


def partial_spearman(
    x: np.ndarray, y: np.ndarray, strata: np.ndarray, axis: int = -1
) -> np.ndarray | float:
    """Spearman's correlation of ``x`` and ``y`` given the category ``strata``.

    Both variables are ranked (average ranks for ties, as scipy's spearmanr),
    each rank is regressed on the stratum's indicator variables (i.e. less
    its stratum's mean rank), and the residuals are correlated (Pearson).
    This is the partial correlation of the ranks given the category: it
    removes whatever the category explains of either variable, linear in it
    or not, which regressing on the category's rank (the textbook partial
    Spearman) would not. A variable that is a function of the category
    (classical FLOPs of the number of qubits) has no residual, and its
    partial correlation is undefined (NaN).

    Args:
        x, y: the variables, along the last axis (rows are bootstrap
            resamples when `interval` calls it).
        strata: integer codes of the category (0, 1, ...), same shape.
        axis: must be the last axis (scipy's bootstrap passes -1).

    Returns:
        The correlation (an array for batches; NaN where undefined).
    """
    if axis not in (-1, np.ndim(x) - 1):
        raise ValueError("partial_spearman works along the last axis")
    ranks = [
        _stratum_residuals(stats.rankdata(v, axis=-1), np.asarray(strata)) for v in (x, y)
    ]
    covariance = np.sum(ranks[0] * ranks[1], axis=-1)
    scale = np.sqrt(np.sum(ranks[0] ** 2, axis=-1) * np.sum(ranks[1] ** 2, axis=-1))
    # Residuals below rounding error are no variation: a function of the category.
    defined = scale > 1e-9 * np.shape(x)[-1] ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = np.where(defined, covariance / np.where(defined, scale, 1.0), np.nan)
    return float(rho) if np.ndim(rho) == 0 else rho


def spearman(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray | float:
    """Spearman's rank correlation (vectorised): `partial_spearman` with one stratum."""
    return partial_spearman(x, y, np.zeros(np.shape(x), dtype=np.int64), axis)
