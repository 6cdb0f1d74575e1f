"""A table row and its F_Q as the record a live search would have written.

Only what a search reads from a record is rebuilt: the genes (for breeding),
the phenotype key, the accuracy, F_Q, the parameter count and the objectives
of the search's mode.
"""

from __future__ import annotations

from typing import Mapping

import pandas as pd

from faqnas.search.objectives import objectives
from faqnas.search.space import Genome


def table_rows(table: pd.DataFrame, run_seed: int) -> dict[str, dict]:
    """The rows of one run seed, by phenotype key.

    Args:
        table: a tabular benchmark (`faqnas.tables.load`), one row per
            (phenotype, run seed).
        run_seed: the run seed the rows stand for.

    Returns:
        Phenotype key -> ``{"accuracy", "params"}``: the best validation
        accuracy (the search's accuracy) and the total parameter count.

    Raises:
        ValueError: the table has no rows for ``run_seed``, or repeats a
            phenotype.
    """
    rows = table[table["seed"] == run_seed]
    if rows.empty:
        raise ValueError(f"the table has no rows for run seed {run_seed}; "
                         f"it holds seeds {sorted(table['seed'].unique())}")
    keys = rows["phenotype_key"]
    if keys.duplicated().any():
        raise ValueError(f"the table repeats phenotypes for run seed {run_seed}: "
                         f"{sorted(set(keys[keys.duplicated()]))[:3]}")
    # Lists, not Series: iterating pandas arrays element by element costs most
    # of a replay's time otherwise.
    columns = (keys.tolist(), rows["val_accuracy"].tolist(), rows["params"].tolist())
    return {
        key: {"accuracy": float(accuracy), "params": int(params)}
        for key, accuracy, params in zip(*columns)
    }


def replay_record(
    genome: Genome,
    row: Mapping,
    flops: Mapping,
    mode: str,
    generation: int,
    index: int,
) -> dict:
    """The record-like dict a search of ``mode`` reads for ``genome``.

    Args:
        genome: the genome proposed (its genes, not the table's, are bred from).
        row: its phenotype's `table_rows` entry.
        flops: its phenotype's FLOPs: a store entry
            (`faqnas.evaluation.flops_store`) or a record's ``flops``; only
            ``quantum`` (F_Q) is read.
        mode: the objectives (`faqnas.search.objectives.OBJECTIVE_MODES`).
        generation, index: where the search evaluated it.

    Returns:
        ``{"generation", "index", "phenotype_key", "genes", "accuracy",
        "flops": {"quantum"}, "params": {"total"}, "objectives"}``.

    Raises:
        ValueError: ``mode`` is not an objective mode.
    """
    record = {
        "generation": generation,
        "index": index,
        "phenotype_key": genome.phenotype_key,
        "genes": genome.to_genes(),
        "accuracy": row["accuracy"],
        "flops": {"quantum": int(flops["quantum"])},
        "params": {"total": row["params"]},
    }
    record["objectives"] = objectives(record, mode)
    return record


def lookup(
    rows: Mapping[str, Mapping],
    flops: Mapping[str, Mapping],
    genome: Genome,
    mode: str,
    generation: int,
    index: int,
) -> dict:
    """`replay_record` of ``genome``, its row and FLOPs looked up by phenotype.

    Raises:
        KeyError: the table or the FLOPs lack the phenotype (they were made
            for another search space).
    """
    key = genome.phenotype_key
    for name, source in (("table", rows), ("FLOPs", flops)):
        if key not in source:
            raise KeyError(f"{key} is not in the {name}: was it made for this search space?")
    return replay_record(genome, rows[key], flops[key], mode, generation, index)
