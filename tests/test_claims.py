"""The rules that turn measurements into verdicts on the paper's claims."""

from faqnas.study.claims import awareness_verdict, budget_verdict, drivers_verdict, plateau_verdict


def test_plateau_verdict_reads_the_papers_ranges():
    assert plateau_verdict("iris", 0.93) == "agrees"
    assert plateau_verdict("iris", 0.87) == "disagrees: lower"
    assert plateau_verdict("breast_cancer", 0.97) == "disagrees: higher"
    assert plateau_verdict("mnist", 0.88) == "agrees"
    assert plateau_verdict("my_csv", 0.5) == "no claim"


def drivers(rho_q, rho_c, range_q=1000.0, range_c=3.0):
    return {"spearman_accuracy_F_Q": rho_q, "spearman_accuracy_F_classical": rho_c,
            "F_Q_range": range_q, "F_classical_range": range_c, "genomes": 10}


def test_quantum_flops_must_correlate_more_and_vary_more():
    assert drivers_verdict(drivers(0.6, 0.2)) == "agrees"
    assert drivers_verdict(drivers(0.1, 0.4)).startswith("disagrees: accuracy follows classical")
    assert "vary as widely" in drivers_verdict(drivers(0.6, 0.2, range_q=2.0))
    assert drivers_verdict(drivers(None, 0.2)).startswith("undecided")
    assert drivers_verdict(drivers(0.3, None)) == "agrees"


def spread(accuracy, cheapest):
    return {"best_accuracy_mean": accuracy, "cheapest_F_Q_mean": cheapest}


def test_flops_awareness_must_be_as_accurate_within_a_point_and_cheaper():
    assert awareness_verdict(spread(0.95, 100), spread(0.955, 400)) == "agrees"
    assert "more than one point lower" in awareness_verdict(spread(0.90, 100), spread(0.95, 400))
    assert "did not find a cheaper" in awareness_verdict(spread(0.95, 400), spread(0.95, 400))


def test_mnist_must_need_the_largest_budget():
    assert budget_verdict({"mnist": 9000, "iris": 300, "digits": 2000}) == "agrees"
    assert budget_verdict({"mnist": 900, "digits": 2000}).startswith("disagrees")
    assert budget_verdict({"iris": 300, "digits": 2000}) == "no claim"
