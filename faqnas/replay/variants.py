"""The four search variants at equal budgets, for anytime comparisons.

FLOPs-aware (F_Q, 1 - acc, params), FLOPs-agnostic (1 - acc, params) and
accuracy-only (1 - acc) NSGA-II, and random search (uniform over phenotypes,
no repeats). Every variant of a run seed starts from the same initial
population (paired seeds), and every variant runs to the same number of
evaluations rather than to its stopping rule, so that fronts compared after
n evaluations (`front_after`) cost the same.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd

from faqnas.replay.random_search import random_search
from faqnas.replay.result import Replay
from faqnas.replay.search import replay_search
from faqnas.search.duplicates import first_of_each_phenotype
from faqnas.search.objectives import FLOPS_AWARE, OBJECTIVE_MODES, objectives
from faqnas.search.pareto import pareto_records
from faqnas.search.space import SearchSpace

RANDOM = "random"
VARIANTS = (*OBJECTIVE_MODES, RANDOM)


def replay_variant(
    variant: str,
    table: pd.DataFrame,
    flops: Mapping[str, Mapping],
    space: SearchSpace,
    search_config: Mapping,
    run_seed: int,
    dataset: str,
    budget: int,
    table_seed: int | None = None,
) -> Replay:
    """One variant with ``run_seed``, run to ``budget`` evaluations.

    Args:
        variant: one of `VARIANTS`.
        table, flops, space, search_config, run_seed, dataset, table_seed: as
            `faqnas.replay.search.replay_search` (a table of a few run seeds
            serves many paired search seeds through ``table_seed``).
        budget: evaluations every variant gets.

    Returns:
        The `Replay` (random search's in FLOPs-aware objectives).

    Raises:
        ValueError: ``variant`` is not one of `VARIANTS`.
    """
    if variant == RANDOM:
        return random_search(
            table, flops, space, search_config, run_seed, dataset, budget, table_seed=table_seed
        )
    if variant not in OBJECTIVE_MODES:
        raise ValueError(f"variant must be one of {list(VARIANTS)}, got {variant!r}")
    return replay_search(
        table, flops, space, search_config, run_seed, dataset, variant, budget, table_seed
    )


def front_after(evaluations: Sequence[dict], n: int, mode: str = FLOPS_AWARE) -> list[dict]:
    """The Pareto set of the first ``n`` evaluations in ``mode``'s objectives.

    Objectives are taken afresh in ``mode``, whatever each search minimised,
    so that the fronts of all variants lie in one space.

    Args:
        evaluations: a `Replay`'s evaluations, in order.
        n: how many of them.
        mode: the objectives the front is taken in.

    Returns:
        The non-dominated records, each phenotype's first, with
        ``objectives`` in ``mode``.
    """
    firsts = first_of_each_phenotype(evaluations[:n])
    return pareto_records([{**r, "objectives": objectives(r, mode)} for r in firsts])
