"""Random search replayed against a table: uniform over phenotypes, no repeats.

Its generation 0 is the initial population of the NSGA-II searches with the
same run seed and dataset (`faqnas.search.propose.propose_genomes`), so that
the variants of one seed are paired; after it, the phenotypes not yet
evaluated are drawn in a uniformly random order, seeded from (run seed,
dataset, "random"). "Generations" are then just the evaluations in groups of
the population size.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from faqnas.replay.lookup import lookup, table_rows
from faqnas.replay.result import Replay, replay_result
from faqnas.search.objectives import FLOPS_AWARE
from faqnas.search.propose import propose_genomes
from faqnas.search.seeds import derive_seed
from faqnas.search.space import SearchSpace


def random_search(
    table: pd.DataFrame,
    flops: Mapping[str, Mapping],
    space: SearchSpace,
    search_config: Mapping,
    run_seed: int,
    dataset: str,
    budget: int,
    mode: str = FLOPS_AWARE,
    table_seed: int | None = None,
) -> Replay:
    """Evaluate ``budget`` distinct phenotypes drawn uniformly at random.

    Args:
        table, flops, space, run_seed, dataset, table_seed: as
            `faqnas.replay.search.replay_search`.
        search_config: the ``search`` config; only ``population`` (the size
            of generation 0 and of each later group) is read.
        budget: how many phenotypes to evaluate.
        mode: the objectives the evaluations and the Pareto set are given in.

    Returns:
        The `Replay`: every evaluation in order and the Pareto set.

    Raises:
        KeyError: a drawn phenotype is not in ``table`` or ``flops``.
        ValueError: ``budget`` is not in 1..the space's phenotypes, or the
            table has no rows for the seed.
    """
    if not 1 <= budget <= space.n_phenotypes():
        raise ValueError(f"budget must be 1..{space.n_phenotypes()} phenotypes, got {budget}")
    size = search_config["population"]
    rows = table_rows(table, run_seed if table_seed is None else table_seed)
    first = propose_genomes(space, dict(search_config), run_seed, dataset, 0, None)
    seen = {genome.phenotype_key for genome in first}
    rest = [genome for genome in space.phenotypes() if genome.phenotype_key not in seen]
    rng = np.random.default_rng(derive_seed(run_seed, dataset, "random"))
    order = [*first, *(rest[i] for i in rng.permutation(len(rest)))][:budget]
    evaluations = [
        lookup(rows, flops, genome, mode, i // size, i % size) for i, genome in enumerate(order)
    ]
    return replay_result(evaluations, f"budget of {budget} evaluations")
