"""Rule ``replays``: every variant replayed with every paired seed on a
dataset's table, to the largest budget.

A table holds a few run seeds (k); the comparison wants at least 21 paired
seeds. Search seed i (0-based) of `replay_seeds` therefore takes its
training outcomes from table seed i mod k (`faqnas.replay`'s
``table_seed``) while its own run seed drives every proposal: the first k
search seeds are the table's own, and their replays are exactly the live
searches with those seeds; the others are searches no live run makes, each
still the pipeline's NSGA-II (or random search) on the table's outcomes.
All variants of a search seed start from the same initial population and
see the same training outcomes: the seeds are paired.
"""

from __future__ import annotations

import sys
import time
from itertools import count
from typing import Sequence

import pandas as pd

from faqnas.records import read_json
from faqnas.replay import VARIANTS, replay_variant
from faqnas.search.space import SearchSpace
from faqnas.study.anytime import EVALUATION_COLUMNS
from faqnas.tables.load import flops_entries, read_flops, read_table


def replay_seeds(table_seeds: Sequence[int], n: int) -> list[tuple[int, int]]:
    """``n`` paired search seeds and the table seed each takes its training from.

    Args:
        table_seeds: the table's run seeds, in its description's order.
        n: how many search seeds.

    Returns:
        (run seed, table seed) pairs: the table's seeds with themselves,
        then 1, 2, 3, ... (skipping the table's) with the table's seeds in
        turn.

    Raises:
        ValueError: the table has no seeds, or ``n`` < 1.
    """
    if not table_seeds or n < 1:
        raise ValueError(f"need table seeds and n >= 1, got {list(table_seeds)} and {n}")
    others = (s for s in count(1) if s not in table_seeds)
    run_seeds = [*table_seeds, *(next(others) for _ in range(max(0, n - len(table_seeds))))][:n]
    return [(seed, table_seeds[i % len(table_seeds)]) for i, seed in enumerate(run_seeds)]


def replay_evaluations(
    table: pd.DataFrame,
    flops: dict[str, dict],
    space: SearchSpace,
    search: dict,
    dataset: str,
    seeds: Sequence[tuple[int, int]],
    budget: int,
    variants: Sequence[str] = VARIANTS,
) -> pd.DataFrame:
    """Every evaluation of every variant and seed, to ``budget`` evaluations.

    Args:
        table, flops, space, search: as `faqnas.replay.replay_variant`.
        dataset: the table's dataset.
        seeds: (run seed, table seed) pairs, `replay_seeds`.
        budget: evaluations per search.
        variants: which of `faqnas.replay.VARIANTS`.

    Returns:
        `faqnas.study.anytime.EVALUATION_COLUMNS` rows, search by search.
    """
    rows = []
    for variant in variants:
        for run_seed, table_seed in seeds:
            replay = replay_variant(variant, table, flops, space, search, run_seed, dataset,
                                    budget, table_seed=table_seed)
            rows += [
                {"variant": variant, "seed": run_seed, "table_seed": table_seed,
                 "position": position, "generation": r["generation"],
                 "phenotype_key": r["phenotype_key"], "n_qubits": r["genes"]["n_qubits"],
                 "accuracy": r["accuracy"],
                 "F_Q": r["flops"]["quantum"], "params": r["params"]["total"]}
                for position, r in enumerate(replay.evaluations)
            ]
    return pd.DataFrame(rows, columns=EVALUATION_COLUMNS)


def replays(
    table_path: str,
    description_path: str,
    flops_path: str,
    out: str,
    *,
    dataset: str,
    space: dict,
    search: dict,
    seeds: int,
    budgets: Sequence[int],
) -> None:
    """Replay the four variants with ``seeds`` paired seeds on a dataset's table.

    Args:
        table_path: ``docs/tables/{dataset}.tsv.gz``.
        description_path: ``docs/tables/{dataset}.json`` (the table's seeds).
        flops_path: ``docs/tables/flops.tsv.gz``.
        out: the evaluations (TSV, gzip), `EVALUATION_COLUMNS`.
        dataset: the table's dataset.
        space: the ``search_space`` config the table covers.
        search: the ``search`` config (population, operators).
        seeds: paired search seeds per variant.
        budgets: the budgets compared; each search runs to the largest.

    Raises:
        KeyError: the table or the FLOPs table lacks a proposed phenotype.
        ValueError: the table lacks one of its description's seeds.
    """
    start = time.perf_counter()
    pairs = replay_seeds(read_json(description_path)["seeds"], seeds)
    evaluations = replay_evaluations(
        read_table(table_path), flops_entries(read_flops(flops_path)), SearchSpace(space),
        search, dataset, pairs, max(budgets),
    )
    evaluations.to_csv(out, sep="\t", index=False, compression={"method": "gzip", "mtime": 0})
    print(f"{dataset}: {len(VARIANTS)} variants x {len(pairs)} seeds to {max(budgets)} "
          f"evaluations in {time.perf_counter() - start:.1f} s", file=sys.stderr)
