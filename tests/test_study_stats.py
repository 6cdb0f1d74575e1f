"""The statistics of the claims page against scipy and small cases by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from faqnas.study.stats import (
    a12,
    holm,
    interval,
    mean_difference,
    partial_spearman,
    rank_sum_p,
    signed_rank_p,
    smallest_p,
    spearman,
)


def test_a12_is_one_half_on_identical_samples_and_one_when_one_dominates():
    x = [0.3, 0.5, 0.5, 0.9]
    assert a12(x, x) == 0.5
    assert a12([5, 6, 7], [1, 2, 3]) == 1.0
    assert a12([1, 2, 3], [5, 6, 7]) == 0.0
    # By hand: pairs (x > y) + half the ties, over m n = 4.
    assert a12([1, 3], [1, 2]) == pytest.approx((0.5 + 0 + 1 + 1) / 4)


def test_holm_adjusts_a_known_family_in_step_down_order():
    # Sorted 0.01, 0.02, 0.03, 0.04 times 4, 3, 2, 1: 0.04, 0.06, 0.06, 0.04 -> monotone.
    adjusted = holm([0.03, 0.01, 0.04, 0.02])
    assert adjusted == pytest.approx([0.06, 0.04, 0.06, 0.06])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])  # capped at 1
    # A test that could not be made stays NaN and does not enlarge the family.
    with_nan = holm([0.01, np.nan, 0.02])
    assert math.isnan(with_nan[1]) and with_nan[[0, 2]] == pytest.approx([0.02, 0.02])


def test_the_signed_rank_test_is_scipys_and_needs_a_difference():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=21), rng.normal(size=21) + 0.5
    expected = scipy_stats.wilcoxon(x, y, zero_method="pratt").pvalue
    assert signed_rank_p(x, y) == pytest.approx(expected)
    assert signed_rank_p([1, 2, 3], [1, 2, 3]) == 1.0
    assert signed_rank_p([1, 2, 3], [0, 1, 2]) == pytest.approx(smallest_p(3)) == 0.25
    with pytest.raises(ValueError, match="equal"):
        signed_rank_p([1, 2], [1])


def test_five_pairs_cannot_reach_five_percent_six_can():
    assert smallest_p(5) > 0.05 > smallest_p(6)


def test_the_rank_sum_test_is_scipys():
    x, y = [3, 4, 5, 9], [1, 2, 2, 6, 7]
    assert rank_sum_p(x, y) == pytest.approx(scipy_stats.mannwhitneyu(x, y).pvalue)


def test_the_bootstrap_interval_is_seeded_and_covers_the_mean_difference():
    rng = np.random.default_rng(2)
    x = rng.normal(1.0, 1.0, 40)
    y = x - 0.5 + rng.normal(0, 0.1, 40)
    low, high = interval([x, y], mean_difference, seed=3, resamples=999)
    assert low < np.mean(x - y) < high
    assert 0.3 < low < high < 0.7
    assert interval([x, y], mean_difference, seed=3, resamples=999) == (low, high)
    # Every value the same: a point, not an error.
    assert interval([[0.5] * 5, [0.5] * 5], mean_difference, seed=3, resamples=200) == (0, 0)


def test_spearman_is_scipys_with_ties():
    a = [1, 2, 2, 3, 5, 4, 4]
    b = [2, 1, 3, 3, 6, 5, 4]
    assert spearman(np.array(a), np.array(b)) == pytest.approx(scipy_stats.spearmanr(a, b)[0])


def test_partial_correlation_removes_a_confound_we_built():
    """Two variables that only share the qubit count: correlated plainly, not given it."""
    rng = np.random.default_rng(4)
    qubits = rng.integers(2, 11, 3000)
    accuracy = qubits + rng.normal(0, 1, 3000)
    flops = np.exp(qubits) * rng.lognormal(0, 0.5, 3000)
    assert spearman(accuracy, flops) > 0.8
    assert abs(partial_spearman(accuracy, flops, qubits - 2)) < 0.05
    # A real effect beyond the qubits stays.
    driven = accuracy + 2 * np.log(flops)  # within a stratum: correlation 0.7
    assert partial_spearman(driven, flops, qubits - 2) > 0.6


def test_a_function_of_the_strata_has_no_partial_correlation():
    qubits = np.repeat(np.arange(5), 20)
    classical = 4 * 13 * (qubits + 2) + 6 * (qubits + 2) * 3
    accuracy = np.random.default_rng(5).random(100)
    assert math.isnan(partial_spearman(accuracy, classical, qubits))


def test_partial_correlation_is_vectorised_for_the_bootstrap():
    rng = np.random.default_rng(6)
    x, y, strata = rng.random((3, 50)), rng.random((3, 50)), rng.integers(0, 4, (3, 50))
    rows = partial_spearman(x, y, strata)
    assert rows == pytest.approx([partial_spearman(x[i], y[i], strata[i]) for i in range(3)])
