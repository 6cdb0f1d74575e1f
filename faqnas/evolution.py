"""One generation of the search, on records: proposal and elitist survival.

This is where NSGA-II (``faqnas.nsga2``, pure arrays) meets the JSON files of
the pipeline. Every draw is seeded from (run seed, dataset, generation), so a
generation's genomes are the same whenever and wherever it is proposed.
"""

from __future__ import annotations

import math

import numpy as np

from . import nsga2
from .records import objectives
from .seeds import derive_seed
from .space import Genome, SearchSpace

FLOPS_AWARE = "flops_aware"


def objective_matrix(records: list[dict], mode: str) -> np.ndarray:
    """Rows of (F_Q, 1 - acc, params), or (1 - acc, params) for the FLOPs-agnostic baseline."""
    return np.array([objectives(r, flops_aware=mode == FLOPS_AWARE) for r in records], dtype=float)


def propose(
    space: SearchSpace,
    search: dict,
    run_seed: int,
    dataset: str,
    generation: int,
    previous: dict | None,
) -> list[Genome]:
    """Generation 0 samples the space; later ones breed from the previous survivors."""
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
        np.array([_crowding_from_json(m["crowding"]) for m in members]),
        size,
        search["crossover_prob"],
        search["mutation_prob"],
        previous["evaluated_keys"],
        max_tries=max(search["max_redraws"], 1),
    )


def _crowding_to_json(value: float) -> float | None:
    # JSON has no infinity; boundary points of a front are stored as null.
    return None if math.isinf(value) else float(value)


def _crowding_from_json(value: float | None) -> float:
    return math.inf if value is None else value


def survive(
    records: list[dict],
    previous: dict | None,
    previous_status: dict | None,
    generation: int,
    search: dict,
) -> tuple[dict, dict]:
    """Merge parents and offspring, keep the best ``population`` by rank and crowding.

    Returns the new population file and the generation's status (stagnation
    count of the rank-0 front). Whether to stop is decided by the caller from
    the status, so that the stopping rule can be relaxed after the fact.
    """
    parents = previous["members"] if previous else []
    # A duplicate phenotype (accepted when redraws ran out) would be the same
    # point twice; the parent copy is kept so survivors stay distinct.
    seen: set[str] = set()
    merged = []
    for record in [*parents, *records]:
        if record["phenotype_key"] not in seen:
            seen.add(record["phenotype_key"])
            merged.append({k: v for k, v in record.items() if k not in ("rank", "crowding")})

    F = objective_matrix(merged, search["objectives"])
    rank, crowding = nsga2.rank_and_crowding(F)
    keep = nsga2.survivors(F, search["population"])
    members = [
        {**merged[i], "rank": int(rank[i]), "crowding": _crowding_to_json(crowding[i])}
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
