"""A search replayed against a table: NSGA-II exactly as the pipeline runs it.

Each generation is proposed by `faqnas.search.propose.propose_genomes`,
evaluated by table lookups instead of training, and selected by
`faqnas.search.survive.select_survivors`; `faqnas.search.stopping.StoppingRule`
decides when to stop, as in the workflow. The functions are the pipeline's
own and see the same values (a population or status passed here equals the
one the pipeline writes to JSON and reads back), so with the table of a run
seed the replay evaluates the genomes of a live search with that seed, in
order, and finds its Pareto set.
"""

from __future__ import annotations

from typing import Mapping

import pandas as pd

from faqnas.replay.lookup import lookup, table_rows
from faqnas.replay.result import Replay, replay_result
from faqnas.search.propose import propose_genomes
from faqnas.search.space import SearchSpace
from faqnas.search.stopping import StoppingRule
from faqnas.search.survive import select_survivors


def replay_search(
    table: pd.DataFrame,
    flops: Mapping[str, Mapping],
    space: SearchSpace,
    search_config: Mapping,
    run_seed: int,
    dataset: str,
    mode: str,
    budget: int | None = None,
    table_seed: int | None = None,
) -> Replay:
    """Replay the NSGA-II search of ``mode`` with ``run_seed`` on ``dataset``.

    Args:
        table: the dataset's tabular benchmark (`faqnas.tables.load`) with
            rows for ``run_seed``.
        flops: phenotype key -> FLOPs with ``quantum`` (F_Q): store entries
            (`faqnas.evaluation.flops_store.read_entries`), rows of
            docs/tables/flops.tsv.gz renamed, or live records' ``flops``.
        space: the search space the table covers.
        search_config: the ``search`` config (population, crossover_prob,
            mutation_prob, max_redraws, max_generations, patience);
            its ``objectives`` is replaced by ``mode``.
        run_seed: the run seed (the live config's ``seed``).
        dataset: the dataset's name, part of every seed the search derives.
        mode: the objectives minimised (`faqnas.search.objectives.OBJECTIVE_MODES`).
        budget: None stops by the paper's rule (patience T, at most G
            generations), as the pipeline does. A number of evaluations
            instead ignores the rule, unlike the paper: generations go on
            until ``budget`` genomes are evaluated and the evaluations are cut
            there (the last generation possibly in part), so that variants
            compared after equal numbers of evaluations had equal budgets
            whatever the rule would have said.
        table_seed: the table's run seed whose rows stand for training;
            None takes ``run_seed``'s, which replays the live search exactly.
            Another lets a table of a few run seeds serve many search seeds
            (the proposals follow ``run_seed``, the training noise
            ``table_seed``), a search no live run makes.

    Returns:
        The `Replay`: every evaluation in order and the Pareto set.

    Raises:
        KeyError: a proposed phenotype is not in ``table`` or ``flops``.
        ValueError: ``mode`` is not an objective mode, ``budget`` < 1, or
            the table has no rows for the seed.
    """
    if budget is not None and budget < 1:
        raise ValueError(f"budget must be at least 1 evaluation, got {budget}")
    search = {**search_config, "objectives": mode}
    rule = StoppingRule(search["max_generations"], search["patience"])
    rows = table_rows(table, run_seed if table_seed is None else table_seed)
    evaluations: list[dict] = []
    population = status = None
    generation = 0
    while True:
        genomes = propose_genomes(space, search, run_seed, dataset, generation, population)
        records = [
            lookup(rows, flops, genome, mode, generation, index)
            for index, genome in enumerate(genomes)
        ]
        evaluations += records
        population, status = select_survivors(records, population, status, generation, search)
        if budget is None:
            stop, reason = rule.decide(generation, status["stagnation"])
            if stop:
                return replay_result(evaluations, reason)
        elif len(evaluations) >= budget:
            return replay_result(evaluations[:budget], f"budget of {budget} evaluations")
        generation += 1
