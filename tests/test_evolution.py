"""One generation on records: proposal is reproducible, survival is elitist."""

import numpy as np
import pytest

from faqnas.records import genome_entry
from faqnas.search.objectives import objective_matrix, objectives
from faqnas.search.propose import propose_genomes as propose
from faqnas.search.space import SearchSpace
from faqnas.search.survive import select_survivors as survive

SPACE = SearchSpace()
SEARCH = {
    "population": 6,
    "crossover_prob": 0.8,
    "mutation_prob": 0.2,
    "max_redraws": 100,
    "objectives": "flops_aware",
}


def fake_record(genome, generation, index, rng, mode="flops_aware"):
    """A record whose objectives are drawn at random: survival only reads objectives."""
    record = {
        **genome_entry(genome, "iris", generation, index),
        "accuracy": float(rng.integers(0, 31)) / 30,
        "flops": {"quantum": int(rng.integers(0, 10**5)), "classical": 10, "total": 0, "quantum_analytic": 0},
        "params": {"total": int(rng.integers(10, 100)), "classical": 0, "quantum": 0},
    }
    record["objectives"] = objectives(record, mode)
    return record


def run_generations(n, seed=3):
    rng = np.random.default_rng(seed)
    population, status, history = None, None, []
    for g in range(n):
        genomes = propose(SPACE, SEARCH, 42, "iris", g, population)
        records = [fake_record(x, g, i, rng) for i, x in enumerate(genomes)]
        population, status = survive(records, population, status, g, SEARCH)
        history.append((genomes, records, population, status))
    return history


def test_proposal_is_reproducible_and_depends_on_seed_dataset_generation():
    first = propose(SPACE, SEARCH, 42, "iris", 0, None)
    assert first == propose(SPACE, SEARCH, 42, "iris", 0, None)
    assert first != propose(SPACE, SEARCH, 43, "iris", 0, None)
    assert first != propose(SPACE, SEARCH, 42, "wine", 0, None)
    assert len({g.phenotype_key for g in first}) == SEARCH["population"]


def test_offspring_are_new_phenotypes():
    history = run_generations(4)
    seen = set()
    for genomes, *_ in history:
        keys = {g.phenotype_key for g in genomes}
        assert not keys & seen
        seen |= keys
    assert history[-1][2]["evaluated_keys"] == list(dict.fromkeys(history[-1][2]["evaluated_keys"]))
    assert len(history[-1][2]["evaluated_keys"]) == 4 * SEARCH["population"]


def test_survivors_are_the_best_of_parents_and_offspring():
    history = run_generations(3)
    _, records, population, _ = history[2]
    _, _, parents, _ = history[1]
    merged = parents["members"] + records
    F = objective_matrix(merged)
    survivors = {m["phenotype_key"] for m in population["members"]}
    assert len(survivors) == SEARCH["population"]
    # Elitism: every non-dominated point of parents + offspring survives
    # when the front fits, and exactly those carry rank 0.
    dominated = [any(np.all(F[j] <= F[i]) and np.any(F[j] < F[i]) for j in range(len(F))) for i in range(len(F))]
    front = {merged[i]["phenotype_key"] for i in range(len(F)) if not dominated[i]}
    if len(front) <= SEARCH["population"]:
        assert front <= survivors
    assert all((m["rank"] == 0) == (m["phenotype_key"] in front) for m in population["members"])


def test_stagnation_counts_generations_with_unchanged_front():
    history = run_generations(5)
    for (_, _, _, previous), (_, _, _, status) in zip(history, history[1:]):
        same = previous["rank0_front"] == status["rank0_front"]
        assert status["stagnation"] == (previous["stagnation"] + 1 if same else 0)


def test_flops_agnostic_search_ignores_quantum_flops():
    rng = np.random.default_rng(0)
    genomes = propose(SPACE, SEARCH, 1, "iris", 0, None)
    records = [fake_record(g, 0, i, rng, "flops_agnostic") for i, g in enumerate(genomes)]
    agnostic = {**SEARCH, "objectives": "flops_agnostic"}
    population, status = survive(records, None, None, 0, agnostic)
    assert all(len(row) == 2 for row in status["rank0_front"])
    assert status["objectives"] == "flops_agnostic"
    # Survivors are decided without F_Q: the same records with F_Q scrambled
    # survive identically.
    scrambled = [{**r, "flops": {**r["flops"], "quantum": 7}} for r in records]
    assert survive(scrambled, None, None, 0, agnostic)[1] == status


def test_records_of_another_objective_mode_are_refused():
    rng = np.random.default_rng(0)
    genomes = propose(SPACE, SEARCH, 1, "iris", 0, None)
    records = [fake_record(g, 0, i, rng) for i, g in enumerate(genomes)]
    with pytest.raises(ValueError, match="flops_aware.*flops_agnostic"):
        survive(records, None, None, 0, {**SEARCH, "objectives": "flops_agnostic"})
