"""NSGA-II operators: cross-checked against pymoo, and the behaviour FAQNAS relies on."""

import numpy as np
import pytest
from pymoo.core.population import Population
from pymoo.core.problem import Problem
from pymoo.operators.survival.rank_and_crowding import RankAndCrowding
from pymoo.operators.survival.rank_and_crowding.metrics import get_crowding_function
from pymoo.util.dominator import Dominator
from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

from faqnas.search import nsga2
from faqnas.search.space import SearchSpace
from faqnas.search.stopping import StoppingRule


def random_objective_sets(seed=0, n_sets=150):
    """Float, tied, integer-valued and duplicated objective sets of 1..40 points."""
    rng = np.random.default_rng(seed)
    for i in range(n_sets):
        n = int(rng.integers(1, 41))
        m = int(rng.choice([2, 3]))
        kind = i % 4
        if kind == 0:
            F = rng.random((n, m))
        elif kind == 1:  # few levels: many ties and exact duplicates
            F = rng.integers(0, 4, (n, m)).astype(float)
        elif kind == 2:  # like (F_Q, 1 - acc, params)
            F = np.column_stack([
                rng.integers(0, 5000, n) * 8,
                rng.integers(0, 11, n) / 10,
                rng.integers(20, 60, n),
            ])[:, :m]
        else:  # explicit copies of rows, and an occasional constant objective
            base = rng.random((max(1, n // 2), m))
            F = base[rng.integers(0, len(base), n)]
            if rng.random() < 0.5:
                F[:, 0] = 1.0
        yield F


def tiny_space():
    return SearchSpace({
        "n_qubits": (2, 3),
        "embedding": ("angle",),
        "rotations": ("RX", "RY"),
        "entangler": ("CNOT",),
        "topology": ("linear",),
        "n_layers": (1, 2),
    })


# -- agreement with pymoo ------------------------------------------------------
def test_fronts_and_ranks_equal_pymoo():
    nds_default = NonDominatedSorting()
    nds_deb = NonDominatedSorting(dominator=Dominator())  # pymoo's own fast non-dominated sort
    for F in random_objective_sets():
        ours = nsga2.non_dominated_fronts(F)
        for nds in (nds_default, nds_deb):
            theirs, their_rank = nds.do(F, return_rank=True)
            assert [f.tolist() for f in ours] == [sorted(f.tolist()) for f in theirs]
            np.testing.assert_array_equal(nsga2.ranks(F), their_rank)


def test_crowding_equals_pymoo_per_front():
    cd = get_crowding_function("cd")
    for F in random_objective_sets(seed=1):
        rank, crowding = nsga2.rank_and_crowding(F)
        for front in NonDominatedSorting().do(F):
            expected = cd.do(F[front])
            np.testing.assert_array_equal(nsga2.crowding_distance(F[front]), expected)
            np.testing.assert_array_equal(crowding[front], expected)


def test_duplicates_share_a_front_and_small_fronts_are_infinite():
    F = np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 2.0], [2.0, 2.0]])
    assert [f.tolist() for f in nsga2.non_dominated_fronts(F)] == [[0, 1, 2], [3]]
    assert np.isinf(nsga2.crowding_distance(F[:2])).all()
    # A constant objective adds nothing, not even at its boundaries: the middle
    # point gets (3 - 0) / 3 from x, 0 from y, halved for two objectives.
    flat = np.array([[0.0, 5.0], [1.0, 5.0], [3.0, 5.0]])
    np.testing.assert_allclose(nsga2.crowding_distance(flat), [np.inf, 0.5, np.inf])


def test_nan_objectives_are_rejected():
    with pytest.raises(ValueError, match="NaN"):
        nsga2.ranks([[0.0, np.nan], [1.0, 1.0]])


def _cut_is_ambiguous(F, k):
    """Whether the front split at k has equal crowding across the cut (pymoo then picks at random)."""
    kept = 0
    for front in NonDominatedSorting().do(F):
        if kept + len(front) > k:
            cd = np.sort(get_crowding_function("cd").do(F[front]))[::-1]
            room = k - kept
            return room > 0 and cd[room - 1] == cd[room]
        kept += len(front)
    return False


def test_survivors_equal_pymoo_when_the_cut_is_unambiguous():
    rng = np.random.default_rng(2)
    problem = Problem(n_var=1, n_obj=3)
    compared = 0
    for _ in range(100):
        n = int(rng.integers(4, 40))
        F = rng.random((n, 3))
        k = int(rng.integers(1, n + 1))
        if _cut_is_ambiguous(F, k):
            continue
        pop = Population.new(F=F)
        pop.set("row", np.arange(n))
        theirs = RankAndCrowding().do(problem, pop, n_survive=k, random_state=np.random.default_rng(0))
        assert sorted(nsga2.survivors(F, k).tolist()) == sorted(theirs.get("row").tolist())
        compared += 1
    assert compared >= 50


# -- survival ----------------------------------------------------------------------
def test_survivors_keep_whole_rank0_front_when_it_fits():
    rng = np.random.default_rng(3)
    for _ in range(30):
        F = rng.integers(0, 6, (30, 3)).astype(float)
        first = nsga2.non_dominated_fronts(F)[0]
        n = int(rng.integers(len(first), 31))
        kept = nsga2.survivors(F, n)
        assert len(kept) == len(set(kept.tolist())) == n
        assert set(first.tolist()) <= set(kept.tolist())
        # Elitism: nobody kept has a worse rank than anybody dropped.
        rank = nsga2.ranks(F)
        dropped = np.setdiff1d(np.arange(len(F)), kept)
        if dropped.size:
            assert rank[kept].max() <= rank[dropped].min()


def test_truncation_prefers_larger_crowding():
    # One front on the line x + y = 10; points 1 and 4 sit near the extremes,
    # point 3 alone in the middle, so the one slot beside the extremes goes to 3.
    F = np.array([[0.0, 10.0], [0.5, 9.5], [10.0, 0.0], [5.0, 5.0], [9.0, 1.0]])
    cd = nsga2.crowding_distance(F)
    assert cd[3] > cd[1] and cd[3] > cd[4]
    assert sorted(nsga2.survivors(F, 3).tolist()) == [0, 2, 3]


def test_survivors_are_deterministic_and_break_ties_by_index():
    F = np.array([[0.0, 4.0], [1.0, 3.0], [2.0, 2.0], [3.0, 1.0], [4.0, 0.0]])
    # Inner points are equally crowded; the lower indices win.
    assert nsga2.survivors(F, 3).tolist() == [0, 4, 1]
    assert nsga2.survivors(F, 4).tolist() == [0, 4, 1, 2]


def test_top_k_orders_by_rank_then_crowding():
    F = np.array([[3.0, 3.0], [0.0, 4.0], [1.0, 3.5], [2.0, 1.0], [4.0, 0.0], [5.0, 5.0]])
    rank, crowding = nsga2.rank_and_crowding(F)
    order = nsga2.top_k(F, len(F))
    assert sorted(order.tolist()) == list(range(len(F)))
    keys = [(rank[i], -crowding[i]) for i in order]
    assert keys == sorted(keys)
    assert nsga2.top_k(F, 2).tolist() == order[:2].tolist()


# -- selection and variation ----------------------------------------------------------
def test_tournament_prefers_lower_rank_then_larger_crowding():
    rng = np.random.default_rng(4)
    rank = np.array([0, 1])
    crowding = np.array([0.1, np.inf])
    assert (nsga2.crowded_tournament(rng, rank, crowding, 200) == 0).all()
    same_rank = np.array([2, 2])
    assert (nsga2.crowded_tournament(rng, same_rank, crowding, 200) == 1).all()


def test_tournament_full_ties_are_random_and_worst_never_wins():
    rng = np.random.default_rng(5)
    wins = nsga2.crowded_tournament(rng, np.zeros(2), np.ones(2), 4000)
    # Fair coin: 4000 draws, mean 2000, sd ~32; 300 is >9 sd.
    assert abs((wins == 0).sum() - 2000) < 300
    rank = np.array([0, 1, 1, 2])
    wins = nsga2.crowded_tournament(rng, rank, np.zeros(4), 2000)
    assert not (wins == 3).any()


def test_crossover_with_p_c_zero_returns_parent_a():
    rng = np.random.default_rng(6)
    a = np.arange(10)
    b = a + 100
    for _ in range(20):
        np.testing.assert_array_equal(nsga2.uniform_crossover(rng, a, b, 0.0), a)


def test_crossover_with_p_c_one_mixes_genewise():
    rng = np.random.default_rng(7)
    a = np.zeros(2000, dtype=int)
    b = np.ones(2000, dtype=int)
    child = nsga2.uniform_crossover(rng, a, b, 1.0)
    assert set(child.tolist()) == {0, 1}
    assert abs(child.mean() - 0.5) < 0.1  # sd ~0.011


def test_mutation_p_m_zero_is_identity_and_p_m_one_stays_in_domain():
    space = SearchSpace()
    cards = space.cardinalities
    rng = np.random.default_rng(8)
    x = space.encode(space.sample(rng))
    np.testing.assert_array_equal(nsga2.mutate(rng, x, cards, 0.0), x)
    draws = np.array([nsga2.mutate(rng, x, cards, 1.0) for _ in range(500)])
    assert (draws >= 0).all() and (draws < cards).all()
    for gene in range(len(cards)):
        assert set(draws[:, gene].tolist()) == set(range(cards[gene]))


def test_mutation_draws_are_uniform_over_each_domain():
    rng = np.random.default_rng(9)
    cards = np.array([9, 2, 3, 4])
    n = 9000
    draws = np.array([nsga2.mutate(rng, np.zeros(4, dtype=int), cards, 1.0) for _ in range(n)])
    for gene, k in enumerate(cards):
        freq = np.bincount(draws[:, gene], minlength=k) / n
        # Binomial sd <= sqrt(0.25 / 9000) ~ 0.0053; 0.03 is > 5 sd for every cell.
        np.testing.assert_allclose(freq, 1 / k, atol=0.03)


def test_mutation_rate_matches_p_m():
    rng = np.random.default_rng(10)
    cards = np.full(5000, 2)
    x = np.zeros(5000, dtype=int)
    changed = (nsga2.mutate(rng, x, cards, 0.2) != x).mean()
    # A redraw keeps the value with prob 1/2, so genes change w.p. 0.2 * 1/2.
    assert abs(changed - 0.1) < 0.03


# -- populations ----------------------------------------------------------------------
def test_initial_population_is_distinct_and_deterministic():
    space = SearchSpace()
    pop = nsga2.initial_population(np.random.default_rng(11), space, 40)
    assert len(pop) == 40
    assert len({g.phenotype_key for g in pop}) == 40
    for g in pop:
        space.validate(g)
    again = nsga2.initial_population(np.random.default_rng(11), space, 40)
    assert again == pop
    other = nsga2.initial_population(np.random.default_rng(12), space, 40)
    assert other != pop


def test_initial_population_can_fill_a_tiny_space_exactly():
    space = tiny_space()  # 2 qubit counts x (2 + 4) rotation sequences = 12 phenotypes
    assert space.n_phenotypes() == 12
    pop = nsga2.initial_population(np.random.default_rng(13), space, 12)
    assert {g.phenotype_key for g in pop} == {g.phenotype_key for g in space.phenotypes()}
    with pytest.raises(ValueError, match="12 distinct"):
        nsga2.initial_population(np.random.default_rng(13), space, 13)


def _ranked_parents(rng, space, n):
    parents = nsga2.initial_population(rng, space, n)
    F = rng.random((n, 3))
    rank, crowding = nsga2.rank_and_crowding(F)
    return parents, rank, crowding


def test_offspring_avoid_evaluated_phenotypes():
    space = SearchSpace()
    rng = np.random.default_rng(14)
    parents, rank, crowding = _ranked_parents(rng, space, 10)
    evaluated = {g.phenotype_key for g in nsga2.initial_population(rng, space, 300)}
    evaluated |= {g.phenotype_key for g in parents}
    kids = nsga2.propose_offspring(rng, space, parents, rank, crowding, 10, 0.8, 0.2, evaluated)
    keys = [g.phenotype_key for g in kids]
    assert len(kids) == 10
    assert len(set(keys)) == 10
    assert not set(keys) & evaluated
    for g in kids:
        space.validate(g)


def test_offspring_accept_duplicates_once_the_space_is_exhausted():
    space = tiny_space()
    rng = np.random.default_rng(15)
    parents, rank, crowding = _ranked_parents(rng, space, 4)
    everything = {g.phenotype_key for g in space.phenotypes()}
    kids = nsga2.propose_offspring(
        rng, space, parents, rank, crowding, 6, 0.8, 0.2, everything, max_tries=5
    )
    assert len(kids) == 6
    assert {g.phenotype_key for g in kids} <= everything


def test_offspring_without_variation_copy_tournament_winners():
    # With p_c = p_m = 0 every child copies a tournament winner (kept as a duplicate
    # after max_tries=1); the dominated parent loses every pairing, so never appears.
    space = SearchSpace()
    rng = np.random.default_rng(16)
    parents = nsga2.initial_population(rng, space, 3)
    rank = np.array([0, 0, 1])
    crowding = np.array([np.inf, np.inf, np.inf])
    kids = nsga2.propose_offspring(
        rng, space, parents, rank, crowding, 2, 0.0, 0.0, set(), max_tries=1
    )
    assert all(k in parents[:2] for k in kids)


def test_offspring_are_deterministic_for_a_seed():
    space = SearchSpace()
    parents, rank, crowding = _ranked_parents(np.random.default_rng(17), space, 8)
    evaluated = {g.phenotype_key for g in parents}

    def propose(seed):
        return nsga2.propose_offspring(
            np.random.default_rng(seed), space, parents, rank, crowding, 8, 0.8, 0.2, evaluated
        )

    assert propose(1) == propose(1)
    assert propose(1) != propose(2)


# -- termination and the final choice ----------------------------------------------------
def test_rank0_signature_ignores_order_dominated_points_and_copies():
    F = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]])
    sig = nsga2.rank0_signature(F)
    assert sig == ((1.0, 2.0), (2.0, 1.0))
    assert nsga2.rank0_signature(F[::-1]) == sig
    assert nsga2.rank0_signature(np.vstack([F, [[2.5, 2.5], [1.0, 2.0]]])) == sig
    assert nsga2.rank0_signature(np.vstack([F, [[0.5, 3.0]]])) != sig


def run_termination(signatures, G=8, T=2):
    """Drive lines 8-31 of the paper with a given sequence of rank-0 signatures."""
    prev, count = signatures[0], 0
    for g in range(1, G + 1):
        sig = signatures[g]
        count = nsga2.stagnation(prev, sig, count)
        prev = sig
        stop, reason = StoppingRule(G, T).decide(g, count)
        if stop:
            return g, count, reason
    raise AssertionError("should_stop never stopped")


def test_early_stop_after_T_unchanged_generations():
    a, b, c = ((0.0,),), ((1.0,),), ((2.0,),)
    # Changes at g=1, then unchanged at g=2 and g=3: stop after generation 3.
    g, count, reason = run_termination([a, b, b, b, c, c, c, c, c])
    assert (g, count) == (3, 2)
    assert "unchanged" in reason
    # A single unchanged generation resets on change, so it takes until g=6 here.
    g, count, _ = run_termination([a, a, b, b, c, c, c, c, c])
    assert (g, count) == (6, 2)


def test_run_ends_at_G_when_front_keeps_moving():
    sigs = [((float(i),),) for i in range(9)]
    g, count, reason = run_termination(sigs)
    assert (g, count) == (8, 0)
    assert "G=8" in reason
    assert StoppingRule(8, 2).decide(0, 0) == (False, "")


def test_compromise_on_hand_made_set():
    # Divided by the maxima (100, 1, 50): A=(1, .1, 1), B=(.1, 1, .2), C=(.4, .2, .3);
    # ideal (.1, .1, .2); distances A 1.20, B 0.90, C 0.33. Unnormalised, FLOPs
    # would swamp the rest and B (nearest in FLOPs and params) would be chosen.
    F = np.array([
        [100.0, 0.1, 50.0],
        [10.0, 1.0, 10.0],
        [40.0, 0.2, 15.0],
    ])
    assert nsga2.compromise_index(F) == 2
    # Only ratios to the maxima matter, so rescaling an objective changes nothing.
    assert nsga2.compromise_index(F * [1e-3, 1.0, 1e3]) == 2
    # A dominated point never is the compromise, even if listed first.
    assert nsga2.compromise_index(np.vstack([[41.0, 0.25, 16.0], F])) == 3


def test_compromise_measures_from_the_ideal_point_not_the_origin():
    # Normalised A=(1, .5), B=(.5, 1), C=(.8, .8); ideal (.5, .5): C is at 0.42,
    # A and B at 0.5. From the origin A would be nearest (1.118 < 1.131).
    F = np.array([[10.0, 5.0], [5.0, 10.0], [8.0, 8.0]])
    assert nsga2.compromise_index(F) == 2


def test_compromise_ignores_all_zero_objective():
    F = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.4, 0.4]])
    assert nsga2.compromise_index(F) == 2


# -- the search space of Table I ------------------------------------------------------------
def test_table_I_space_has_23328_genotypes_and_8640_phenotypes():
    space = SearchSpace()
    genotype_keys = []
    for count, genome in enumerate(space.genotypes(), start=1):
        genotype_keys.append(genome.phenotype_key)
    assert count == 23_328 == space.n_genotypes()
    assert len(set(genotype_keys)) == 8_640 == space.n_phenotypes()
    phenotype_keys = [g.phenotype_key for g in space.phenotypes()]
    assert len(phenotype_keys) == len(set(phenotype_keys)) == 8_640
    assert set(phenotype_keys) == set(genotype_keys)
