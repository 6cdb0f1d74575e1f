"""Final re-training: best-epoch weights, early stopping, summary statistics."""

import math

import numpy as np
import pandas as pd
import pytest
import torch
from scipy import stats

from faqnas.data.prepare import prepare_dataset
from faqnas.final.table import kendall_tau, summarise_final
from faqnas.final.train import build_model, train_final
from faqnas.search.space import Genome
from faqnas.evaluation.train import Protocol, accuracy, train

GENOME = Genome(4, "angle", ("RY", "RX", "RZ", "RY"), "CZ", "circular", 2)


@pytest.fixture(scope="module")
def splits():
    """Breast cancer: train, val, test as the pipeline prepares them."""
    data = prepare_dataset("breast_cancer", {"protocol": "held_out", "split_seed": 2025,
                                             "test_fraction": 0.2, "val_fraction": 0.2})
    return data.X_train, data.y_train, data.X_val, data.y_val, data.X_test, data.y_test


def _score(model, X, y):
    return accuracy(model, torch.as_tensor(X), torch.as_tensor(y))


def test_the_returned_model_is_the_best_validation_epoch(splits):
    # lr 0.05 overshoots after the first epochs: the last epoch is not the best.
    model, result = train_final(GENOME, *splits, seed=4, epochs=20, patience=None, lr=0.05)
    curve = result["val_accuracy_per_epoch"]
    assert len(curve) == result["stopped_epoch"] == 20 and not result["early_stopped"]
    assert curve[-1] < max(curve), "precondition: the weights must have moved on"
    assert result["best_epoch"] == curve.index(max(curve)) + 1
    assert _score(model, splits[2], splits[3]) == result["validation_accuracy"] == max(curve)
    assert _score(model, splits[4], splits[5]) == result["test_accuracy"]


def test_early_stopping_stops_after_patience_epochs_without_improvement(splits):
    _, result = train_final(GENOME, *splits, seed=4, epochs=200, patience=3, lr=0.05)
    curve, best = result["val_accuracy_per_epoch"], result["best_epoch"]
    assert result["early_stopped"] and result["stopped_epoch"] < 200
    assert len(curve) == result["stopped_epoch"] == best + 3
    assert max(curve[best:]) <= curve[best - 1] == max(curve)
    assert len(result["loss_per_epoch"]) == len(curve)


def test_without_patience_all_epochs_run_and_a_callback_changes_nothing(splits):
    X, y, Xv, yv = splits[:4]
    _, final = train_final(GENOME, *splits, seed=9, epochs=6, patience=None)
    # The search's training of the same network and seed, with no callback:
    # final re-training is the search's protocol, only longer.
    plain = train(build_model(GENOME, X.shape[1], 2, seed=9), X, y, Xv, yv, Protocol(6), 9)
    assert final["val_accuracy_per_epoch"] == plain["accuracy_per_epoch"]
    assert final["loss_per_epoch"] == plain["loss_per_epoch"]
    assert final["stopped_epoch"] == 6 and not final["early_stopped"]


def test_same_seed_same_model_other_seed_another(splits):
    first, a = train_final(GENOME, *splits, seed=2, epochs=4, patience=None)
    second, b = train_final(GENOME, *splits, seed=2, epochs=4, patience=None)
    _, c = train_final(GENOME, *splits, seed=3, epochs=4, patience=None)
    a.pop("train_seconds"), b.pop("train_seconds")
    assert a == b
    assert all(torch.equal(v, second.state_dict()[k]) for k, v in first.state_dict().items())
    assert c["loss_per_epoch"] != a["loss_per_epoch"]


def test_result_records_settings_and_sizes(splits):
    _, result = train_final(GENOME, *splits, seed=1, epochs=2, patience=5, lr=0.01,
                            batch_size=32, dtype="float64")
    assert {k: result[k] for k in ("seed", "epochs", "patience", "lr", "batch_size", "backend",
                                   "dtype")} == dict(seed=1, epochs=2, patience=5, lr=0.01,
                                                     batch_size=32, backend="simulator",
                                                     dtype="float64")
    # 30 -> 4 -> 2: (30*4 + 4) + 2*4 quantum weights + (4*2 + 2).
    assert result["params"] == {"total": 142, "classical": 134, "quantum": 8}
    assert result["train_seconds"] > 0


@pytest.mark.parametrize("patience", [0, -1, 2.5, True])
def test_patience_must_be_a_positive_integer(splits, patience):
    with pytest.raises(ValueError, match="patience must be a positive integer or None"):
        train_final(GENOME, *splits, seed=1, epochs=2, patience=patience)


# ------------------------------------------------------------------- summary


def _rows():
    """Hand-made per-seed rows: 5, 3, 1 and 2 (identical) seeds."""
    tests = {"A": [0.90, 0.85, 0.95, 0.80, 0.88], "B": [0.5, 0.7, 0.6], "C": [0.75],
             "D": [0.6, 0.6]}
    rows = []
    for i, (key, accs) in enumerate(tests.items()):
        for seed, acc in enumerate(accs):
            rows.append(dict(phenotype_key=key, n_qubits=2 + i, search_accuracy=0.1 * i,
                             seed=seed, test_accuracy=acc, validation_accuracy=acc - 0.05,
                             train_seconds=1.5))
    # Seeds listed out of order must not matter.
    return pd.DataFrame(rows).sample(frac=1, random_state=0).reset_index(drop=True), tests


def test_summary_statistics_match_scipy():
    rows, tests = _rows()
    out = summarise_final(rows).set_index("phenotype_key")
    for key, accs in tests.items():
        accs = np.array(accs)
        row = out.loc[key]
        assert row["seeds"] == len(accs)
        assert row["test_accuracy_mean"] == pytest.approx(accs.mean(), abs=1e-15)
        assert row["validation_accuracy_mean"] == pytest.approx(accs.mean() - 0.05, abs=1e-15)
        assert row["train_seconds"] == pytest.approx(1.5 * len(accs))
        if len(accs) > 1 and accs.std() > 0:
            sem = stats.sem(accs)
            low, high = stats.t.interval(0.95, len(accs) - 1, loc=accs.mean(), scale=sem)
            assert row["test_accuracy_sd"] == pytest.approx(np.std(accs, ddof=1), rel=1e-12)
            assert (row["test_accuracy_ci95_low"], row["test_accuracy_ci95_high"]) == pytest.approx(
                (low, high), rel=1e-12)
    # Five seeds: half-width t(0.975, 4) sd/√5, with t(0.975, 4) = 2.776445 from tables.
    a = out.loc["A"]
    half = 2.776445 * np.std(tests["A"], ddof=1) / math.sqrt(5)
    width = a["test_accuracy_ci95_high"] - a["test_accuracy_ci95_low"]
    assert width / 2 == pytest.approx(half, rel=1e-6)


def test_summary_edge_cases_one_seed_and_identical_seeds():
    out = summarise_final(_rows()[0]).set_index("phenotype_key")
    one = out.loc["C"]
    assert one["test_accuracy_mean"] == 0.75
    assert math.isnan(one["test_accuracy_sd"])
    assert math.isnan(one["test_accuracy_ci95_low"]) and math.isnan(one["test_accuracy_ci95_high"])
    same = out.loc["D"]
    assert same["test_accuracy_sd"] == 0
    assert same["test_accuracy_ci95_low"] == same["test_accuracy_ci95_high"] == 0.6


def test_summary_keeps_architecture_columns_and_order():
    rows, _ = _rows()
    out = summarise_final(rows)
    assert list(out["phenotype_key"]) == list(dict.fromkeys(rows["phenotype_key"]))
    assert list(out.columns) == [
        "phenotype_key", "n_qubits", "search_accuracy", "seeds", "test_accuracy_mean",
        "test_accuracy_sd", "test_accuracy_ci95_low", "test_accuracy_ci95_high",
        "validation_accuracy_mean", "train_seconds",
    ]
    assert dict(zip(out["phenotype_key"], out["n_qubits"])) == {"A": 2, "B": 3, "C": 4, "D": 5}


def test_summary_refuses_inconsistent_rows():
    rows, _ = _rows()
    changed = rows.copy()
    changed.loc[changed["phenotype_key"] == "A", "search_accuracy"] = [0.1, 0.2, 0.1, 0.1, 0.1]
    with pytest.raises(ValueError, match=r"\['search_accuracy'\] differ between seeds"):
        summarise_final(changed)
    with pytest.raises(ValueError, match=r"repeat: \[\('B', 1\)\]"):
        summarise_final(pd.concat([rows, rows[(rows.phenotype_key == "B") & (rows.seed == 1)]]))
    with pytest.raises(ValueError, match=r"lack the columns \['train_seconds'\]"):
        summarise_final(rows.drop(columns="train_seconds"))


# ------------------------------------------------------------------- Kendall


def test_kendall_tau_matches_scipy_and_drops_incomplete_pairs():
    search = [0.9, 0.8, 0.8, 0.7, 0.6, 0.95, np.nan]
    final = [0.85, 0.82, 0.7, 0.72, 0.5, 0.9, 0.99]
    expected = stats.kendalltau(search[:-1], final[:-1])
    tau, p = kendall_tau(search, final)
    assert (tau, p) == pytest.approx((expected.statistic, expected.pvalue), rel=1e-12)
    assert kendall_tau([1, 2, 3, 4], [10, 20, 30, 40]).tau == pytest.approx(1.0)
    assert kendall_tau([1, 2, 3, 4], [4, 3, 2, 1]).tau == pytest.approx(-1.0)


@pytest.mark.parametrize("search, final", [
    ([], []), ([0.5], [0.7]), ([0.5, np.nan], [0.7, 0.8]), ([0.5, 0.5, 0.5], [0.1, 0.2, 0.3]),
])
def test_kendall_tau_is_nan_without_a_ranking(search, final):
    tau, p = kendall_tau(search, final)
    assert math.isnan(tau) and math.isnan(p)


def test_kendall_tau_needs_pairs():
    with pytest.raises(ValueError, match="3 search accuracies but 2 final"):
        kendall_tau([0.1, 0.2, 0.3], [0.1, 0.2])
