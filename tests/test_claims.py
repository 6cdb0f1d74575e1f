"""The rules that turn measurements into verdicts on the paper's claims."""

import pytest

from faqnas.study.verdicts import (
    AGREES,
    awareness_verdict,
    budget_comparison,
    drivers_verdict,
    plateau_verdict,
)


def test_the_plateau_interval_must_lie_in_the_papers_range():
    assert plateau_verdict("iris", 0.91, 0.97) == AGREES
    assert plateau_verdict("iris", 0.80, 0.88) == "disagrees: the plateau is lower"
    assert plateau_verdict("breast_cancer", 0.96, 0.99) == "disagrees: the plateau is higher"
    assert plateau_verdict("iris", 0.85, 0.95).startswith("not shown")
    assert plateau_verdict("mnist", 0.86, 0.93) == AGREES  # near 90%: within 5 points
    assert plateau_verdict("my_csv", 0.5, 0.6).startswith("not measured")


def test_quantum_flops_drive_accuracy_only_when_the_interval_excludes_zero():
    assert drivers_verdict((0.05, 0.12)) == AGREES
    assert drivers_verdict((-0.2, -0.1)).startswith("disagrees")
    assert drivers_verdict((-0.01, 0.1)).startswith("not shown")
    assert drivers_verdict(None).startswith("not measured")


def row(difference, p_holm, low, high, pairs=21):
    return {"pairs": pairs, "mean_difference": difference, "p_holm": p_holm,
            "ci_low": low, "ci_high": high}


MARGIN = 0.03


def test_awareness_needs_significantly_cheaper_and_accuracy_within_the_noise():
    cheaper = row(-0.5, 0.001, -0.7, -0.3)
    assert awareness_verdict(cheaper, row(-0.01, 0.4, -0.025, 0.01), MARGIN) == AGREES
    # The accuracy interval reaches beyond the margin: not shown, not agrees.
    verdict = awareness_verdict(cheaper, row(-0.02, 0.2, -0.06, 0.01), MARGIN)
    assert verdict == "not shown: the accuracy interval reaches below the noise margin"
    # Cheaper on average but not significantly at Holm's level.
    verdict = awareness_verdict(row(-0.5, 0.08, -0.9, 0.1), row(0, 1, 0, 0), MARGIN)
    assert verdict == "not shown: F_Q not significantly lower"


def test_awareness_disagrees_when_dearer_or_clearly_less_accurate():
    dearer = row(0.4, 0.01, 0.2, 0.6)
    assert awareness_verdict(dearer, row(0, 1, 0, 0), MARGIN).startswith("disagrees: the FLOPs")
    worse = row(-0.1, 0.001, -0.15, -0.05)
    verdict = awareness_verdict(row(-0.5, 0.001, -0.7, -0.3), worse, MARGIN)
    assert verdict == "disagrees: the FLOPs-aware compromise is significantly less accurate"


def test_three_seeds_are_said_to_be_too_few():
    verdict = awareness_verdict(row(-0.5, 0.25, -0.9, -0.1, pairs=3), row(0, 1, 0, 0, 3), MARGIN)
    assert "3 seeds cannot reach p < 0.05 (smallest p 0.25)" in verdict


def test_the_budget_claim_compares_mnist_with_every_table():
    mnist = [9000, 10000, 11000, 12000, 9500, 10500, 11500, 12500]
    small = [100, 120, 90, 110, 130, 95, 105, 115]
    rows, verdict = budget_comparison(mnist, {"iris": small, "wine": small})
    assert verdict == AGREES and [r["dataset"] for r in rows] == ["iris", "wine"]
    assert all(r["higher"] and r["p_holm"] < 0.05 for r in rows)
    _, verdict = budget_comparison(small, {"iris": mnist})
    assert verdict.startswith("disagrees")
    _, verdict = budget_comparison(mnist[:3], {"iris": mnist[3:6]})
    assert verdict.startswith("not shown")
    assert budget_comparison([], {"iris": small})[1] == "not measured: no live mnist searches"


@pytest.mark.parametrize("dataset", ["iris", "wine", "breast_cancer", "digits", "mnist"])
def test_every_dataset_of_the_paper_has_a_stated_plateau(dataset):
    assert not plateau_verdict(dataset, 0.0, 1.0).startswith("not measured")
