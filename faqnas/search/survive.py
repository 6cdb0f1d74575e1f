"""Rule ``survive`` (the checkpoint): elitist survival of one generation.

Parents and offspring are merged and the best ``population`` are kept by
rank and crowding (NSGA-II). The generation's status records how long the
rank-0 front has been unchanged; whether that stops the search is decided
by `faqnas.search.stopping.StoppingRule`.
"""

from __future__ import annotations

import math
import sys
from typing import Sequence

from faqnas.records import (
    Population,
    Record,
    Status,
    read_population,
    read_record,
    read_status,
    write_json,
)
from faqnas.search import nsga2
from faqnas.search.duplicates import first_of_each_phenotype
from faqnas.search.objectives import mode_of, objective_matrix
from faqnas.search.space import SearchSpace


def crowding_to_json(value: float) -> float | None:
    """JSON has no infinity; boundary points of a front are stored as null."""
    return None if math.isinf(value) else float(value)


def select_survivors(
    records: Sequence[Record],
    previous: Population | None,
    previous_status: Status | None,
    generation: int,
    search: dict,
) -> tuple[Population, Status]:
    """Merge parents and offspring, keep the best ``search["population"]``.

    Args:
        records: the offspring's records of ``generation``.
        previous: the survivors of ``generation - 1`` (None for generation 0).
        previous_status: the status of ``generation - 1`` (None for generation 0).
        generation: this generation's number.
        search: the ``search`` config with this search's ``objectives`` mode.

    Returns:
        The population file and the status file of ``generation``.

    Raises:
        ValueError: a record's objectives are those of another mode.
    """
    for record in records:
        if mode_of(record["objectives"]) != search["objectives"]:
            raise ValueError(
                f"record of {record['phenotype_key']} has {mode_of(record['objectives'])} "
                f"objectives in a {search['objectives']} search"
            )
    parents = previous["members"] if previous else []
    # Parents come first, so of a duplicate phenotype the parent copy stays.
    merged = [
        {k: v for k, v in record.items() if k not in ("rank", "crowding")}
        for record in first_of_each_phenotype([*parents, *records])
    ]
    F = objective_matrix(merged)
    rank, crowding = nsga2.rank_and_crowding(F)
    keep = nsga2.survivors(F, search["population"])
    members = [
        {**merged[i], "rank": int(rank[i]), "crowding": crowding_to_json(crowding[i])}
        for i in keep
    ]
    evaluated = list(previous["evaluated_keys"]) if previous else []
    known = set(evaluated)
    evaluated += [k for k in dict.fromkeys(r["phenotype_key"] for r in records) if k not in known]

    signature = nsga2.rank0_signature(F[keep])
    if previous_status is None:
        count = 0
    else:
        previous_signature = tuple(tuple(row) for row in previous_status["rank0_front"])
        count = nsga2.stagnation(previous_signature, signature, previous_status["stagnation"])
    population = {"generation": generation, "members": members, "evaluated_keys": evaluated}
    status = {
        "generation": generation,
        "stagnation": count,
        "rank0_front": [list(row) for row in signature],
        "n_evaluated": len(evaluated),
        "objectives": search["objectives"],
    }
    return population, status


def survive(
    record_paths: Sequence[str],
    previous: Sequence[str],
    previous_status: Sequence[str],
    population_path: str,
    status_path: str,
    *,
    space: dict,
    search: dict,
    generation: int,
) -> None:
    """Read a generation's records, write its population and status files.

    Args:
        record_paths: ``gen{g}/records/{i}.json`` of the generation.
        previous, previous_status: the previous generation's
            ``population.json`` and ``status.json`` (empty for generation 0).
        population_path, status_path: where to write.
        space: the ``search_space`` config.
        search, generation: as `select_survivors`.

    Raises:
        RecordError: a record, the previous population or status is not
            valid; the message names the file.
    """
    space = SearchSpace(space)
    population, status = select_survivors(
        [read_record(path, space) for path in record_paths],
        read_population(previous[0], space) if previous else None,
        read_status(previous_status[0]) if previous_status else None,
        generation,
        search,
    )
    write_json(population_path, population)
    write_json(status_path, status)
    print(
        f"generation {status['generation']}: rank-0 front of "
        f"{len(status['rank0_front'])} point(s), unchanged for {status['stagnation']} "
        f"generation(s), {status['n_evaluated']} phenotypes evaluated",
        file=sys.stderr,
    )
