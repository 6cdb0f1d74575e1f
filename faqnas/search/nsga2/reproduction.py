"""Offspring of a population: tournament, crossover and mutation, redrawing
phenotypes that were evaluated before."""

from __future__ import annotations

from typing import Iterable

import numpy as np

from faqnas.search.nsga2.crossover import uniform_crossover
from faqnas.search.nsga2.mutation import mutate
from faqnas.search.nsga2.selection import crowded_tournament
from faqnas.search.space import Genome, SearchSpace


def propose_offspring(
    rng: np.random.Generator,
    space: SearchSpace,
    parents: list[Genome],
    rank,
    crowding,
    n: int,
    p_c: float,
    p_m: float,
    evaluated_keys: Iterable[str],
    max_tries: int = 100,
) -> list[Genome]:
    """``n`` offspring of ``parents`` by tournament, crossover, mutation (lines 11-14).

    An offspring whose phenotype was evaluated before (``evaluated_keys`` or
    a parent) or already proposed in this batch is redrawn from new parents,
    up to ``max_tries`` draws in all. The last draw is then kept even if it is
    a duplicate: a small or converged space can run out of unseen circuits,
    and a duplicate (whose result the evaluator may reuse) is better than
    failing the run or shrinking the population below ``n``.
    """
    if not len(parents) == len(rank) == len(crowding):
        raise ValueError("parents, rank and crowding must have the same length")
    if max_tries < 1:
        raise ValueError(f"max_tries must be >= 1, got {max_tries}")
    genes = np.array([space.encode(g) for g in parents])
    seen = set(evaluated_keys) | {g.phenotype_key for g in parents}
    cards = space.cardinalities
    offspring: list[Genome] = []
    for _ in range(n):
        for _ in range(max_tries):
            p1, p2 = crowded_tournament(rng, rank, crowding, 2)
            child = mutate(rng, uniform_crossover(rng, genes[p1], genes[p2], p_c), cards, p_m)
            genome = space.decode(child)
            if genome.phenotype_key not in seen:
                break
        seen.add(genome.phenotype_key)
        offspring.append(genome)
    return offspring
