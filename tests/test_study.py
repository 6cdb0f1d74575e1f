"""The claims' measurements on small synthetic tables: the plane, anytime
measures, paired replays, seed noise, plateau, drivers and comparisons."""

from __future__ import annotations

import json
import math
import types

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from faqnas.evaluation.flops import analytic_quantum_flops
from faqnas.replay import replay_variant
from faqnas.replay.lookup import table_rows
from faqnas.search.objectives import FLOPS_AWARE
from faqnas.search.space import SearchSpace
from faqnas.study.anytime import TrueFront, anytime_measures, measures_at, search_records
from faqnas.study.claims import claims
from faqnas.study.comparisons import TABLE_MEASURES, compare_variants
from faqnas.study.drivers import drivers
from faqnas.study.live import live_table
from faqnas.study.noise import identical_pairs, noise, pair_noise
from faqnas.study.phenotypes import phenotype_means
from faqnas.study.plane import plane_hypervolume, space_bounds
from faqnas.study.plateau import plateau, plateau_curve
from faqnas.study.replays import replay_evaluations, replay_seeds

from conftest import REPO, TINY, load_config, synthetic_table

CONFIG = load_config(TINY)
SPACE = SearchSpace({**CONFIG["search_space"], "n_qubits": [2, 3, 4]})
SEARCH = {**CONFIG["search"], "population": 6}
TABLE_SEEDS = [7, 8]
TABLE = synthetic_table(SPACE, TABLE_SEEDS)
FLOPS = pd.DataFrame([{"phenotype_key": g.phenotype_key, "F_Q": analytic_quantum_flops(g)}
                      for g in SPACE.phenotypes()])
ENTRIES = {k: {"quantum": q} for k, q in zip(FLOPS["phenotype_key"], FLOPS["F_Q"])}
BOUNDS = space_bounds(FLOPS["F_Q"])
MEANS = phenotype_means(TABLE, FLOPS, n_features=4, n_classes=3)
SPLIT = {"n_train": 96, "n_val": 24, "n_test": 30}
BUDGETS = [6, 12, 18]
PAIRS = replay_seeds(TABLE_SEEDS, 4)
EVALUATIONS = replay_evaluations(TABLE, ENTRIES, SPACE, SEARCH, "iris", PAIRS, max(BUDGETS))


# --- the plane ---------------------------------------------------------------

def test_the_bounds_are_the_spaces_flops_and_the_whole_accuracy_range():
    lower, upper = BOUNDS
    assert lower == pytest.approx([math.log10(FLOPS["F_Q"].min()), 0])
    assert upper == pytest.approx([math.log10(FLOPS["F_Q"].max()), 1])
    # The cheapest circuit at 100 % spans the whole box to the reference
    # point (1.1, 1.1); the dearest at 0 % only the corner beyond it.
    cheapest, dearest = FLOPS["F_Q"].min(), FLOPS["F_Q"].max()
    assert plane_hypervolume([cheapest], [1.0], BOUNDS) == pytest.approx(1.21)
    assert plane_hypervolume([dearest], [0.0], BOUNDS) == pytest.approx(0.01)


def test_adding_a_search_changes_no_number_of_another():
    alone = EVALUATIONS[(EVALUATIONS["variant"] == FLOPS_AWARE) & (EVALUATIONS["seed"] == 7)]
    true = TrueFront.of(MEANS, BOUNDS)
    measured_alone = anytime_measures(alone, BUDGETS, BOUNDS, true)
    measured_all = anytime_measures(EVALUATIONS, BUDGETS, BOUNDS, true)
    mine = measured_all[(measured_all["variant"] == FLOPS_AWARE) & (measured_all["seed"] == 7)]
    pd.testing.assert_frame_equal(measured_alone.reset_index(drop=True),
                                  mine.reset_index(drop=True))


# --- replays and anytime measures -------------------------------------------

def test_search_seeds_cycle_over_the_table_seeds_after_the_tables_own():
    assert replay_seeds([2025, 1, 2], 6) == [(2025, 2025), (1, 1), (2, 2), (3, 2025), (4, 1),
                                             (5, 2)]
    assert replay_seeds([2025, 1, 2], 2) == [(2025, 2025), (1, 1)]
    assert len(replay_seeds([2025, 1, 2], 21)) == len({s for s, _ in replay_seeds([2025], 21)})
    with pytest.raises(ValueError):
        replay_seeds([], 3)


def test_replayed_variants_are_paired_and_trained_as_their_table_seed():
    P = SEARCH["population"]
    for seed, table_seed in PAIRS:
        searches = EVALUATIONS[EVALUATIONS["seed"] == seed]
        first = {v: tuple(rows.sort_values("position")["phenotype_key"][:P])
                 for v, rows in searches.groupby("variant")}
        assert len(first) == 4 and len(set(first.values())) == 1
        assert set(searches.groupby("variant").size()) == {max(BUDGETS)}
        rows = table_rows(TABLE, table_seed)
        assert all(rows[k]["accuracy"] == a
                   for k, a in zip(searches["phenotype_key"], searches["accuracy"]))


def test_measures_after_n_evaluations():
    true = TrueFront.of(MEANS, BOUNDS)
    replay = replay_variant("random", TABLE, ENTRIES, SPACE, SEARCH, 7, "iris",
                            SPACE.n_phenotypes())
    rows = pd.DataFrame([{"phenotype_key": r["phenotype_key"], "accuracy": r["accuracy"],
                          "F_Q": r["flops"]["quantum"], "params": r["params"]["total"]}
                         for r in replay.evaluations])
    records = search_records(rows, FLOPS_AWARE)
    # A search that found every phenotype has found the whole true front.
    everything = measures_at(records, len(records), BOUNDS, true)
    assert everything["share"] == pytest.approx(1.0)
    early = measures_at(records, 6, BOUNDS, true)
    assert 0 < early["share"] < 1 and early["phenotypes"] == 6
    assert early["compromise_test_accuracy"] == true.test_accuracy[early["compromise_key"]]
    # Beyond what a search evaluated: nothing to measure.
    beyond = measures_at(records[:5], 6, BOUNDS, true)
    assert math.isnan(beyond["hypervolume"]) and beyond["compromise_key"] is None
    # Without a table: what the search saw only.
    live = measures_at(records, 6, BOUNDS, None)
    assert math.isnan(live["share"]) and live["hypervolume"] == early["hypervolume"]


def test_the_accuracy_only_compromise_is_the_most_accurate_genome_seen():
    measures = anytime_measures(EVALUATIONS, BUDGETS, BOUNDS, None)
    for (variant, seed), rows in measures.groupby(["variant", "seed"]):
        if variant != "accuracy_only":
            continue
        for budget, accuracy in zip(rows["budget"], rows["compromise_val_accuracy"]):
            seen = EVALUATIONS[(EVALUATIONS["variant"] == variant)
                               & (EVALUATIONS["seed"] == seed)
                               & (EVALUATIONS["position"] < budget)]
            assert accuracy == seen["accuracy"].max()


# --- the table's noise, plateau and drivers ---------------------------------

def test_the_two_qubit_topologies_pair_up_per_seed():
    pairs = identical_pairs(TABLE)
    two = TABLE[(TABLE["n_qubits"] == 2) & (TABLE["seed"] == 7)]
    assert len(pairs) == len(TABLE_SEEDS) * len(two) // 2


def test_noise_from_pairs_and_seeds_by_hand():
    table = TABLE.copy()
    # Circular = linear ± 0.1 in turn: sigma = sqrt(0.01 / 2).
    merged = identical_pairs(table)
    shift = np.where(np.arange(len(merged)) % 2 == 0, 0.1, -0.1)
    merged["val_accuracy_circular"] = merged["val_accuracy_linear"] + shift
    by_pairs = pair_noise(merged, "val_accuracy", seed=1, resamples=200)
    assert by_pairs["sd"] == pytest.approx(math.sqrt(0.01 / 2))
    assert by_pairs["pairs"] == len(merged)
    # Seed 8 = seed 7 + 0.05: each phenotype's variance over seeds is 0.05^2 / 2.
    seed8 = table["seed"] == 8
    table.loc[seed8, "test_accuracy"] = table.loc[table["seed"] == 7, "test_accuracy"].to_numpy()
    table.loc[seed8, "test_accuracy"] += 0.05
    measured = noise(table, SPLIT, "iris", resamples=200)
    test = measured["test_accuracy"]
    assert test["seeds"]["sd"] == pytest.approx(0.05 / math.sqrt(2))
    assert test["sd"] == test["seeds"]["sd"] and test["df"] == SPACE.n_phenotypes()
    assert test["margin"] == pytest.approx(max(1 / 30, 0.05 / math.sqrt(2)))
    assert measured["val_accuracy"]["one_sample"] == pytest.approx(1 / 24)


def test_one_seed_takes_its_noise_from_the_pairs():
    measured = noise(TABLE[TABLE["seed"] == 7], SPLIT, "iris", resamples=200)
    test = measured["test_accuracy"]
    assert test["seeds"]["sd"] is None and test["sd"] == test["pairs"]["sd"]


def plateau_means(accuracy):
    return pd.DataFrame({"phenotype_key": [f"p{i}" for i in range(len(accuracy))],
                         "F_Q": [10, 100, 1000, 10_000][: len(accuracy)],
                         "test_accuracy": accuracy})


def test_the_threshold_is_the_cheapest_not_significantly_below_the_best():
    means = plateau_means([0.5, 0.8, 0.9, 0.91])
    quiet = plateau(means, sd=0.01, df=10_000, seeds=3)
    assert quiet["best"]["F_Q"] == 10_000 and quiet["threshold"]["F_Q"] == 1000
    below = scipy_stats.t.ppf(0.95, 10_000) * 0.01 * math.sqrt(2 / 3)
    assert quiet["below_best"] == pytest.approx(below)
    half = scipy_stats.t.ppf(0.975, 10_000) * 0.01 / math.sqrt(3)
    assert quiet["best"]["ci"] == pytest.approx((0.91 - half, 0.91 + half))
    noisy = plateau(means, sd=0.1, df=10_000, seeds=3)
    assert noisy["threshold"]["F_Q"] == 100
    assert plateau_curve(means)["F_Q"].tolist() == [10, 100, 1000, 10_000]


def test_drivers_separate_quantum_flops_from_the_qubits():
    measured = drivers(MEANS, "iris", resamples=200)
    rho = measured["correlations"]
    assert rho["F_classical | n_qubits"] == {"rho": None, "ci": None}
    assert rho["F_Q"]["rho"] == pytest.approx(
        scipy_stats.spearmanr(MEANS["test_accuracy"], MEANS["F_Q"])[0])
    low, high = rho["F_Q | n_qubits"]["ci"]
    assert low <= rho["F_Q | n_qubits"]["rho"] <= high
    assert measured["phenotypes"] == SPACE.n_phenotypes()


# --- comparisons --------------------------------------------------------------

def test_comparisons_are_paired_holm_adjusted_per_budget_and_name_the_direction():
    measures = anytime_measures(EVALUATIONS, BUDGETS, BOUNDS, TrueFront.of(MEANS, BOUNDS))
    compared = compare_variants(measures, "iris", TABLE_MEASURES, resamples=200)
    assert len(compared) == len(BUDGETS) * 3 * len(TABLE_MEASURES)
    assert set(compared["pairs"]) == {len(PAIRS)}
    assert (compared["p_holm"] >= compared["p"]).all()
    # Made-up measures: FLOPs-aware better by 0.1 on every one of 8 seeds.
    rng = np.random.default_rng(0)
    base = rng.random(8)
    made = pd.DataFrame([
        {"variant": v, "seed": s, "budget": 20, "share": base[s] + (0.1 if v == FLOPS_AWARE
                                                                    else 0.0),
         "compromise_F_Q": 100.0}
        for v in (FLOPS_AWARE, "random") for s in range(8)])
    row = compare_variants(made, "iris", ["share"], resamples=200).iloc[0]
    assert row["a12"] > 0.5 and row["mean_difference"] == pytest.approx(0.1)
    assert row["ci_low"] == pytest.approx(0.1) and row["p"] == pytest.approx(2 / 2**8)
    assert row["significant"]


# --- the claims rule, with a table and live --------------------------------------

def write_inputs(folder, live: bool):
    folder.mkdir(exist_ok=True)
    description = {"seeds": TABLE_SEEDS, "n_features": 4, "n_classes": 3, "split": SPLIT,
                   "commit": "abc"}
    (folder / "description.json").write_text(json.dumps(description))
    FLOPS.to_csv(folder / "flops.tsv.gz", sep="\t", index=False)
    evaluations = EVALUATIONS
    if live:
        evaluations = EVALUATIONS[EVALUATIONS["variant"].isin(["flops_aware",
                                                               "flops_agnostic"])]
        # A live search its stopping rule ended early.
        evaluations = evaluations[~((evaluations["seed"] == 8) & (evaluations["position"] >= 12))]
    evaluations.to_csv(folder / "evaluations.tsv", sep="\t", index=False)
    table = folder / "table.tsv.gz"
    TABLE.assign(val_accuracy_per_epoch="[]", test_accuracy_per_epoch="[]").to_csv(
        table, sep="\t", index=False)
    return [str(folder / n) for n in ("evaluations.tsv", "description.json", "flops.tsv.gz")], (
        [] if live else [str(table)])


def outputs(folder):
    return types.SimpleNamespace(
        claims=folder / "claims.json", measures=folder / "measures.tsv",
        comparisons=folder / "comparisons.tsv", figures=folder / "figures")


@pytest.fixture(scope="module")
def claimed(tmp_path_factory):
    """The claims rule on a synthetic table and on live searches."""
    root = tmp_path_factory.mktemp("claims")
    out = {}
    for name, live in (("iris", False), ("mnist", True)):
        inputs, table = write_inputs(root / f"{name}_in", live)
        out[name] = outputs(root / name)
        (root / name).mkdir()
        claims(*inputs, table, out[name], dataset=name, budgets=BUDGETS, resamples=200)
    return out


def test_a_tables_claims_hold_every_measurement_and_verdict(claimed):
    result = json.loads(claimed["iris"].claims.read_text())
    assert result["source"] == "table" and result["seeds"] == [list(p) for p in PAIRS]
    for key in ("noise", "plateau", "drivers", "awareness", "true_hypervolume"):
        assert result[key] is not None
    assert result["awareness"]["budget"] == max(BUDGETS)
    assert result["awareness"]["accuracy"]["measure"] == "compromise_test_accuracy"
    assert set(result["aware_compromise_F_Q"]) == {str(b) for b in BUDGETS}
    assert sorted(result["figures"]) == ["anytime.png", "paper.png", "plateau.png"]
    measures = pd.read_csv(claimed["iris"].measures, sep="\t")
    assert len(measures) == 4 * len(PAIRS) * len(BUDGETS)


def test_live_searches_are_compared_where_every_search_got_to(claimed):
    result = json.loads(claimed["mnist"].claims.read_text())
    assert result["source"] == "live" and "plateau" not in result
    assert result["variants"] == ["flops_aware", "flops_agnostic"]
    assert result["awareness"]["budget"] == 12  # seed 8 stopped after 12 evaluations
    assert result["awareness"]["margin"] == pytest.approx(1 / SPLIT["n_val"])
    assert result["awareness"]["accuracy"]["measure"] == "compromise_val_accuracy"
    assert sorted(result["figures"]) == ["anytime.png", "paper.png"]
    compared = pd.read_csv(claimed["mnist"].comparisons, sep="\t")
    assert set(compared.loc[compared["budget"] == 18, "pairs"]) == {len(PAIRS) - 1}


def test_the_live_table_joins_each_search_in_order(tmp_path):
    runs = [{"objectives": "flops_aware", "seed": 2025}, {"objectives": "flops_agnostic",
                                                          "seed": 2025}]
    paths = []
    for i, run in enumerate(runs):
        rows = EVALUATIONS[(EVALUATIONS["variant"] == run["objectives"])
                           & (EVALUATIONS["seed"] == 7)]
        path = tmp_path / f"{i}.tsv"
        rows.drop(columns=["variant", "seed", "table_seed", "position"]).to_csv(
            path, sep="\t", index=False)
        paths.append(str(path))
    data = tmp_path / "data.json"
    data.write_text(json.dumps({"n_features": 784, "n_classes": 10, "n_train": 60000,
                                "n_val": 10000, "n_test": 10000, "protocol": "held_out"}))
    live_table(paths, str(data), tmp_path / "live.tsv.gz", tmp_path / "live.json",
               dataset="mnist", runs=runs, checkout=REPO)
    joined = pd.read_csv(tmp_path / "live.tsv.gz", sep="\t")
    assert joined["variant"].tolist() == ["flops_aware"] * 18 + ["flops_agnostic"] * 18
    assert joined["position"].tolist() == [*range(18), *range(18)]
    assert set(joined["table_seed"]) == {2025}
    description = json.loads((tmp_path / "live.json").read_text())
    assert description["seeds"] == [2025] and description["n_features"] == 784
    assert description["split"]["n_train"] == 60000
