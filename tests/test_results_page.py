"""docs/results.md's claims table, from hand-made study numbers."""

import pandas as pd

from faqnas.study.results_doc import claims_table, results_markdown


def claims(best, threshold, rho_q=0.5, rho_c=0.1, aware_cheapest=100, agnostic_cheapest=400):
    spread = lambda objectives, cheapest: {
        "objectives": objectives, "seeds": 1, "hypervolume_mean": 0.5, "hypervolume_std": float("nan"),
        "cheapest_F_Q_mean": cheapest, "best_accuracy_mean": best}
    return {
        "plateau": {"best_accuracy": best, "threshold_F_Q": threshold, "max_F_Q": 10 * threshold},
        "drivers": {"genomes": 40, "spearman_accuracy_F_Q": rho_q, "spearman_accuracy_F_classical": rho_c,
                    "F_Q_range": 500.0, "F_classical_range": 4.0},
        "spread": [spread("flops_aware", aware_cheapest), spread("flops_agnostic", agnostic_cheapest)],
    }


def test_every_claim_gets_a_row_per_dataset_with_its_verdict():
    table = claims_table(["iris", "mnist"], {"iris": claims(0.97, 300), "mnist": claims(0.80, 9000, rho_q=0.0)})
    verdicts = {(row.claim.split()[0], row.dataset): row.verdict for row in table.itertuples()}
    assert verdicts == {
        ("accuracy", "iris"): "agrees",
        ("accuracy", "mnist"): "disagrees: lower",
        ("large", "all"): "agrees",
        ("quantum", "iris"): "agrees",
        ("quantum", "mnist"): "disagrees: accuracy follows classical FLOPs at least as closely",
        ("FLOPs-aware", "iris"): "agrees",
        ("FLOPs-aware", "mnist"): "agrees",
    }
    assert "F_Q = 9,000" in table.set_index("dataset").loc["mnist"].iloc[0]["measured"]


def test_without_a_flops_agnostic_search_there_is_no_awareness_row():
    one = claims(0.95, 300)
    one["spread"] = one["spread"][:1]
    table = claims_table(["iris"], {"iris": one})
    assert not table["claim"].str.startswith("FLOPs-aware").any()


def test_a_subsampled_mnist_is_stated():
    one = claims(0.9, 300)
    data = {"mnist": {"n_features": 784, "n_classes": 10, "n_train": 10_000, "n_val": 10_000}}
    config = {"seed": 1, "search_space": {}, "search": {}, "training": {},
              "data": {"mnist": {"per_class": 1000}}, "study": {}}
    figures = {"mnist": {"paper": "a.png", "fronts": "b.png", "hypervolume": "c.png"}}
    searches = {"mnist": pd.DataFrame([{"objectives": "flops_aware", "seed": 1}])}
    page = results_markdown(["mnist"], {"mnist": one}, searches, data, config, figures, "abc", False, "now")
    assert "MNIST is subsampled: 10,000 of its 60,000 training images (1000 per class)" in page
