"""Rule ``propose``: the genomes of one generation.

Generation 0 samples the space; later generations breed from the previous
survivors. Every draw is seeded from (run seed, dataset, generation), so a
generation's genomes are the same whenever and wherever it is proposed.
"""

from __future__ import annotations

import math
import sys
from typing import Sequence

import numpy as np

from faqnas.records import Population, genome_entry, read_population, write_json
from faqnas.search import nsga2
from faqnas.search.seeds import derive_seed
from faqnas.search.space import Genome, SearchSpace


def crowding_from_json(value: float | None) -> float:
    """A stored crowding distance; ``None`` stands for infinity (boundary points)."""
    return math.inf if value is None else value


def propose_genomes(
    space: SearchSpace,
    search: dict,
    run_seed: int,
    dataset: str,
    generation: int,
    previous: Population | None,
) -> list[Genome]:
    """The ``search["population"]`` genomes of ``generation``.

    Args:
        space: the search space.
        search: the ``search`` config (population, crossover_prob,
            mutation_prob, max_redraws).
        run_seed: the run seed.
        dataset: the dataset name (part of every derived seed).
        generation: 0 for the initial population.
        previous: the survivors of ``generation - 1`` (None for generation 0).

    Returns:
        The proposed genomes; their phenotypes are new unless redraws ran out
        (`faqnas.search.duplicates`).
    """
    rng = np.random.default_rng(derive_seed(run_seed, dataset, generation, "propose"))
    size = search["population"]
    if generation == 0:
        return nsga2.initial_population(rng, space, size)
    members = previous["members"]
    return nsga2.propose_offspring(
        rng,
        space,
        [Genome.from_genes(m["genes"]) for m in members],
        np.array([m["rank"] for m in members]),
        np.array([crowding_from_json(m["crowding"]) for m in members]),
        size,
        search["crossover_prob"],
        search["mutation_prob"],
        previous["evaluated_keys"],
        max_tries=max(search["max_redraws"], 1),
    )


def propose(
    previous: Sequence[str],
    genome_paths: Sequence[str],
    *,
    space: dict,
    search: dict,
    run_seed: int,
    dataset: str,
    generation: int,
) -> None:
    """Write the genome files of one generation (one per path, in order).

    Args:
        previous: the previous generation's ``population.json`` (empty for
            generation 0).
        genome_paths: ``gen{g}/genomes/{i}.json`` for i = 0..P-1.
        space: the ``search_space`` config.
        search, run_seed, dataset, generation: as `propose_genomes`.

    Raises:
        RecordError: the previous population is not valid.
    """
    space = SearchSpace(space)
    population = read_population(previous[0], space) if previous else None
    genomes = propose_genomes(space, search, run_seed, dataset, generation, population)
    for index, (path, genome) in enumerate(zip(genome_paths, genomes)):
        write_json(path, genome_entry(genome, dataset, generation, index))
        print(f"{path}: {genome.phenotype_key}", file=sys.stderr)
