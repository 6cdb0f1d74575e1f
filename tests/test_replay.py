"""Replayed searches on a synthetic table: each variant, pairing and budgets.

tests/test_replay_pipeline.py checks a replay against the live pipeline.
"""

from __future__ import annotations

import pytest

from faqnas.evaluation.flops import analytic_quantum_flops
from faqnas.replay import VARIANTS, front_after, random_search, replay_search, replay_variant
from faqnas.replay.lookup import table_rows
from faqnas.search.objectives import ACCURACY_ONLY, FLOPS_AGNOSTIC, FLOPS_AWARE, objectives
from faqnas.search.propose import propose_genomes
from faqnas.search.space import SearchSpace

from conftest import TINY, load_config, synthetic_table

CONFIG = load_config(TINY)
SPACE = SearchSpace({**CONFIG["search_space"], "n_qubits": [2, 3, 4]})
SEARCH = {**CONFIG["search"], "population": 6, "max_generations": 6, "patience": 1}
SEEDS = (7, 8)
TABLE = synthetic_table(SPACE, SEEDS)
FLOPS = {g.phenotype_key: {"quantum": analytic_quantum_flops(g)} for g in SPACE.phenotypes()}


def keys(records) -> list[str]:
    return [r["phenotype_key"] for r in records]


def replay(mode=FLOPS_AWARE, seed=7, budget=None):
    return replay_search(TABLE, FLOPS, SPACE, SEARCH, seed, "iris", mode, budget)


def test_a_replay_follows_the_pipelines_generations():
    result = replay()
    P = SEARCH["population"]
    assert len(result.evaluations) == P * result.generations
    assert [(r["generation"], r["index"]) for r in result.evaluations] == [
        (g, i) for g in range(result.generations) for i in range(P)]
    assert result.stop_reason
    initial = propose_genomes(SPACE, SEARCH, 7, "iris", 0, None)
    assert keys(result.evaluations[:P]) == [g.phenotype_key for g in initial]
    # Table lookups: the row of the run seed, F_Q from the FLOPs.
    rows = table_rows(TABLE, 7)
    for record in result.evaluations:
        assert record["accuracy"] == rows[record["phenotype_key"]]["accuracy"]
        assert record["objectives"] == objectives(record, FLOPS_AWARE)
    # Deterministic, and the run seed matters.
    assert replay().evaluations == result.evaluations
    assert replay(seed=8).evaluations != result.evaluations


def test_the_pareto_set_is_the_non_dominated_evaluations():
    result = replay()
    points = [r["objectives"] for r in result.evaluations]

    def dominated(q):
        return any(all(a <= b for a, b in zip(p, q)) and p != q for p in points)

    expected = {r["phenotype_key"] for r in result.evaluations if not dominated(r["objectives"])}
    assert set(keys(result.pareto)) == expected


@pytest.mark.parametrize(
    "mode, length", [(FLOPS_AWARE, 3), (FLOPS_AGNOSTIC, 2), (ACCURACY_ONLY, 1)]
)
def test_each_mode_minimises_its_objectives(mode, length):
    result = replay(mode)
    assert {len(r["objectives"]) for r in result.evaluations} == {length}
    if mode == ACCURACY_ONLY:
        best = max(r["accuracy"] for r in result.evaluations)
        assert {r["accuracy"] for r in result.pareto} == {best}


def test_a_budget_runs_past_the_stopping_rule_and_cuts_there():
    stopped = replay()
    budget = len(stopped.evaluations) + SEARCH["population"] + 2
    longer = replay(budget=budget)
    assert len(longer.evaluations) == budget
    # The same search up to where the rule stopped it.
    assert longer.evaluations[: len(stopped.evaluations)] == stopped.evaluations
    assert longer.generations > stopped.generations
    assert replay(budget=3).evaluations == stopped.evaluations[:3]


def test_random_search_draws_distinct_phenotypes_uniformly():
    budget = SPACE.n_phenotypes()
    result = random_search(TABLE, FLOPS, SPACE, SEARCH, 7, "iris", budget)
    drawn = keys(result.evaluations)
    assert len(drawn) == len(set(drawn)) == budget  # no repeats: the whole space once
    assert random_search(TABLE, FLOPS, SPACE, SEARCH, 8, "iris", 20).evaluations != (
        result.evaluations[:20])
    with pytest.raises(ValueError, match="budget"):
        random_search(TABLE, FLOPS, SPACE, SEARCH, 7, "iris", budget + 1)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_variants_of_a_seed_are_paired_and_equal_in_budget(seed):
    budget = 40
    results = {
        v: replay_variant(v, TABLE, FLOPS, SPACE, SEARCH, seed, "iris", budget) for v in VARIANTS
    }
    assert set(VARIANTS) == {FLOPS_AWARE, FLOPS_AGNOSTIC, ACCURACY_ONLY, "random"}
    P = SEARCH["population"]
    first = {v: keys(res.evaluations[:P]) for v, res in results.items()}
    assert len({tuple(keys) for keys in first.values()}) == 1
    assert {len(res.evaluations) for res in results.values()} == {budget}
    with pytest.raises(ValueError, match="variant"):
        replay_variant("greedy", TABLE, FLOPS, SPACE, SEARCH, seed, "iris", budget)


def test_fronts_after_n_evaluations_share_one_space():
    result = replay_variant(ACCURACY_ONLY, TABLE, FLOPS, SPACE, SEARCH, 7, "iris", 30)
    front = front_after(result.evaluations, 12)
    assert front and {len(r["objectives"]) for r in front} == {3}
    assert set(keys(front)) <= set(keys(result.evaluations[:12]))


def test_a_table_seed_serves_other_search_seeds():
    """Search seed 9 proposes as seed 9 does, its genomes trained as seed 8's."""
    other = replay_search(TABLE, FLOPS, SPACE, SEARCH, 9, "iris", FLOPS_AWARE, 30, table_seed=8)
    initial = propose_genomes(SPACE, SEARCH, 9, "iris", 0, None)
    P = SEARCH["population"]
    assert keys(other.evaluations[:P]) == [g.phenotype_key for g in initial]
    rows = table_rows(TABLE, 8)
    assert all(r["accuracy"] == rows[r["phenotype_key"]]["accuracy"] for r in other.evaluations)
    random = replay_variant("random", TABLE, FLOPS, SPACE, SEARCH, 9, "iris", 30, table_seed=8)
    assert keys(random.evaluations[:P]) == [g.phenotype_key for g in initial]


def test_a_table_without_the_phenotype_or_seed_is_named():
    with pytest.raises(ValueError, match="run seed 99"):
        replay(seed=99)
    with pytest.raises(KeyError, match="not in the FLOPs"):
        replay_search(TABLE, {}, SPACE, SEARCH, 7, "iris", FLOPS_AWARE)
