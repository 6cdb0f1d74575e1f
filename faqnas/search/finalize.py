"""Rule ``finalize``: what a finished search hands over.

The Pareto set of every evaluated genome, the top-K in NSGA-II order, the
compromise genome, every evaluation and the progress per generation as
tables, and the search's summary (one row of the cross-dataset table).
"""

from __future__ import annotations

from typing import Sequence

from faqnas.records import Record, read_population, read_record, read_status, write_json
from faqnas.reporting import tables
from faqnas.search import pareto
from faqnas.search.duplicates import first_of_each_phenotype
from faqnas.search.space import SearchSpace
from faqnas.search.stopping import StoppingRule


def search_wall_time(records: Sequence[Record]) -> float:
    """Seconds from the first genome job's start to the last one's end."""
    started = min(r["timestamps"]["started"] for r in records)
    return max(r["timestamps"]["finished"] for r in records) - started


def search_summary(
    dataset: str, records: Sequence[Record], decisions: Sequence[dict], top: Sequence[Record]
) -> dict:
    """The summary of a finished search (``summary.json``).

    Args:
        dataset: the dataset searched.
        records: every evaluated record, once per phenotype.
        decisions: each generation's status with its stop decision.
        top: the top-K records.
    """
    cheapest = pareto.cheapest_near_best(records)
    return {
        "dataset": dataset,
        "best_accuracy": max(r["accuracy"] for r in records),
        "cheapest_F_Q": cheapest["flops"]["quantum"],
        "cheapest_accuracy": cheapest["accuracy"],
        "cheapest_phenotype_key": cheapest["phenotype_key"],
        "n_evaluations": len(records),
        "wall_time_s": float(search_wall_time(records)),
        "generations": len(decisions),
        "stop_reason": decisions[-1]["reason"],
        "pareto_size": len(pareto.pareto_records(records)),
        "compromise": pareto.compromise_record(records)["phenotype_key"],
        "top_k": [{"phenotype_key": r["phenotype_key"], "genes": r["genes"]} for r in top],
    }


def finalize(
    record_paths: Sequence[str],
    population_paths: Sequence[str],
    status_paths: Sequence[str],
    stopping_rule_path: str,
    outputs,
    *,
    space: dict,
    dataset: str,
    top_k: int,
) -> None:
    """Read a finished search, write what it hands over.

    Args:
        record_paths: every record of every generation, in evaluation order.
        population_paths, status_paths: per generation, in order.
        stopping_rule_path: the rule's file (``stopping_rule.json``).
        outputs: paths with the attributes ``pareto``, ``pareto_table``,
            ``top_k``, ``compromise``, ``evaluations``, ``progress``, ``summary``.
        space: the ``search_space`` config.
        dataset: the dataset searched.
        top_k: how many genomes the top-K table holds.

    Raises:
        RecordError: an input file is not valid; the message names it.
    """
    space = SearchSpace(space)
    evaluated = [read_record(path, space) for path in record_paths]
    records = first_of_each_phenotype(evaluated)
    populations = [read_population(path, space) for path in population_paths]
    decisions = StoppingRule.read(stopping_rule_path).decisions(
        [read_status(path) for path in status_paths]
    )
    compromise = pareto.compromise_record(records)
    top = pareto.top_k(records, top_k)

    write_json(outputs.pareto, pareto.pareto_records(records))
    write_json(outputs.compromise, compromise)
    pareto_table = tables.pareto_table(records)
    pareto_table["compromise"] = pareto_table["phenotype_key"] == compromise["phenotype_key"]
    pareto_table.to_csv(outputs.pareto_table, sep="\t", index=False)
    tables.evaluations_table(top).to_csv(outputs.top_k, sep="\t", index=False)
    tables.evaluations_table(evaluated).to_csv(outputs.evaluations, sep="\t", index=False)
    tables.progress_table(populations, decisions, records).to_csv(
        outputs.progress, sep="\t", index=False
    )
    write_json(outputs.summary, search_summary(dataset, records, decisions, top))
