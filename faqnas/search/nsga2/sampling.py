"""The initial population: uniform samples with distinct phenotypes."""

from __future__ import annotations

import numpy as np

from faqnas.search.space import Genome, SearchSpace


def initial_population(
    rng: np.random.Generator, space: SearchSpace, n: int, max_tries: int = 1000
) -> list[Genome]:
    """``n`` uniformly sampled genomes with distinct phenotype keys (line 3).

    Each genome gets up to ``max_tries`` draws to find an unseen phenotype.
    """
    if n > space.n_phenotypes():
        raise ValueError(
            f"population size {n} exceeds the {space.n_phenotypes()} distinct "
            "circuits of the search space"
        )
    population: list[Genome] = []
    seen: set[str] = set()
    for _ in range(n):
        for _ in range(max_tries):
            genome = space.sample(rng)
            if genome.phenotype_key not in seen:
                break
        else:
            raise RuntimeError(
                f"no unseen phenotype after {max_tries} draws with {len(seen)} of "
                f"{space.n_phenotypes()} taken; raise max_tries or lower the population size"
            )
        seen.add(genome.phenotype_key)
        population.append(genome)
    return population
