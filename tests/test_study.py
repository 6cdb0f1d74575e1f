"""Comparing searches in the (F_Q, 1 - accuracy) plane, on hand-made tables."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from faqnas.search.space import SearchSpace
from faqnas.study.compare import (
    cheapest_near_best,
    compare_searches,
    hypervolume_by_evaluations,
    seed_spread,
    spearman,
)
from faqnas.study.exhaustive import check_exhaustive
from faqnas.study.plane import plane_bounds, plane_front, plane_hypervolume

SMALL = SearchSpace({"n_qubits": (2, 3), "embedding": ("angle", "amplitude"),
                     "rotations": ("RX", "RY"), "entangler": ("CNOT",),
                     "topology": ("linear",), "n_layers": (1, 2)})


def table(rows):
    """rows of (generation, F_Q, accuracy[, F_classical])."""
    df = pd.DataFrame(rows, columns=["generation", "F_Q", "accuracy", "F_classical"][: len(rows[0])])
    df["phenotype_key"] = [f"p{i}" for i in range(len(df))]
    if "F_classical" not in df:
        df["F_classical"] = 100
    return df


def test_the_front_keeps_exactly_the_genomes_nothing_beats_in_cost_and_accuracy():
    t = table([(0, 10, 0.5), (0, 100, 0.9), (0, 100, 0.8), (0, 1000, 0.85), (0, 10_000, 0.95)])
    assert plane_front(t)["F_Q"].tolist() == [10, 100, 10_000]


def test_hypervolume_grows_with_a_better_genome_and_not_with_a_dominated_one():
    base = table([(0, 100, 0.6), (0, 10_000, 0.9)])
    bounds = plane_bounds([table([(0, 1, 0.0), (0, 100_000, 1.0)])])
    volume = plane_hypervolume(base, bounds)
    dominated = pd.concat([base, table([(0, 1000, 0.5)])])
    better = pd.concat([base, table([(0, 1000, 0.95)])])
    assert plane_hypervolume(dominated, bounds) == pytest.approx(volume)
    assert plane_hypervolume(better, bounds) > volume
    # A single point at the ideal corner gives the whole box up to (1.1, 1.1).
    assert plane_hypervolume(table([(0, 1, 1.0)]), bounds) == pytest.approx(1.21)


def test_hypervolume_by_evaluations_counts_genomes_and_never_decreases():
    t = table([(0, 1000, 0.5), (0, 500, 0.6), (1, 100, 0.4), (1, 5000, 0.9), (2, 5000, 0.1)])
    progress = hypervolume_by_evaluations(t, plane_bounds([t]))
    assert progress["evaluations"].tolist() == [2, 4, 5]
    assert np.all(np.diff(progress["hypervolume"]) >= 0)


def test_cheapest_within_one_point_of_the_best():
    t = table([(0, 5000, 0.90), (0, 800, 0.893), (0, 100, 0.88), (0, 900, 0.895)])
    assert cheapest_near_best(t)["F_Q"] == 800


def test_spearman_matches_scipy_with_ties():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 5, 40), rng.normal(size=40)
    assert spearman(a, b) == pytest.approx(spearmanr(a, b).statistic)
    assert spearman([1, 1, 1], [1, 2, 3]) is None


def test_seed_spread_is_mean_and_sample_std_per_objectives():
    runs = pd.DataFrame({"objectives": ["flops_aware"] * 3 + ["flops_agnostic"],
                         "seed": [1, 2, 3, 1], "hypervolume": [0.5, 0.7, 0.9, 0.4],
                         "cheapest_F_Q": [10, 20, 30, 40], "best_accuracy": [0.9] * 4})
    spread = seed_spread(runs).set_index("objectives")
    assert spread.loc["flops_aware", "hypervolume_mean"] == pytest.approx(0.7)
    assert spread.loc["flops_aware", "hypervolume_std"] == pytest.approx(0.2)
    assert np.isnan(spread.loc["flops_agnostic", "hypervolume_std"])


def test_exhaustive_jobs_partition_the_phenotypes():
    parts = [SMALL.phenotype_share(job, 3) for job in range(3)]
    keys = [g.phenotype_key for part in parts for g in part]
    assert sorted(keys) == sorted(g.phenotype_key for g in SMALL.phenotypes())
    with pytest.raises(ValueError):
        SMALL.phenotype_share(3, 3)


def test_an_incomplete_or_repeated_exhaustive_evaluation_is_refused():
    records = [{"phenotype_key": g.phenotype_key} for g in SMALL.phenotypes()]
    check_exhaustive(records, SMALL)
    with pytest.raises(ValueError, match="1 missing"):
        check_exhaustive(records[1:], SMALL)
    with pytest.raises(ValueError, match="1 repeated"):
        check_exhaustive(records + records[:1], SMALL)


def test_searches_are_measured_against_the_true_front():
    exhaustive = table([(0, 10, 0.5), (0, 100, 0.9), (0, 1000, 0.95), (0, 50, 0.3), (0, 500, 0.7)])
    found_all = exhaustive.copy()
    found_some = exhaustive.iloc[[0, 3, 4]].assign(generation=[0, 0, 1])
    runs = [{"objectives": "flops_aware", "seed": 1}, {"objectives": "flops_agnostic", "seed": 1}]
    searches, progress, claims = compare_searches("iris", runs, [found_all, found_some], exhaustive)
    assert searches["share_of_true_hypervolume"].tolist()[0] == pytest.approx(1.0)
    assert 0 < searches["share_of_true_hypervolume"].tolist()[1] < 1
    assert searches["evaluations_to_99pct"].tolist()[0] == 5
    assert pd.isna(searches["evaluations_to_90pct"].tolist()[1])
    assert claims["plateau"]["threshold_F_Q"] == 1000
    assert [p["F_Q"] for p in claims["exhaustive"]["true_front"]] == [10, 100, 1000]
    assert set(progress["objectives"]) == {"flops_aware", "flops_agnostic"}
    # One seed per objective: no spread, written as null since JSON has no NaN.
    assert claims["spread"][0]["hypervolume_std"] is None
    json.dumps(claims, allow_nan=False)
