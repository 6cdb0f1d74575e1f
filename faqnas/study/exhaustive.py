"""Rules ``exhaustive_part`` and ``exhaustive``: every phenotype of the space
evaluated once, in parts a cluster runs side by side.

Each phenotype gets the seed a search gives it, so a genome's exhaustive
record equals its record in any search of the dataset with the run seed, and
the exhaustive front is the true front the searches are measured against.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Sequence

import torch

from faqnas.data.store import load_prepared
from faqnas.evaluation.evaluate import evaluate_genome
from faqnas.evaluation.profile import profile_genomes
from faqnas.records import check_record, genome_entry, read_json, write_json
from faqnas.reporting.tables import evaluations_table
from faqnas.search.objectives import FLOPS_AWARE
from faqnas.search.seeds import derive_seed
from faqnas.search.space import SearchSpace


def check_exhaustive(records: Sequence[dict], space: SearchSpace) -> None:
    """Every phenotype of the space exactly once, or a ValueError naming the gap."""
    counts = Counter(r["phenotype_key"] for r in records)
    keys = set(counts)
    expected = {g.phenotype_key for g in space.phenotypes()}
    repeated = sorted(k for k, n in counts.items() if n > 1)
    missing = sorted(expected - keys)
    foreign = sorted(keys - expected)
    if repeated or missing or foreign:
        raise ValueError(
            f"the exhaustive evaluation must cover the {len(expected)} phenotypes once each: "
            f"{len(missing)} missing {missing[:3]}, {len(repeated)} repeated {repeated[:3]}, "
            f"{len(foreign)} outside the space {foreign[:3]}"
        )


def exhaustive_part(
    data_path: str,
    out: str,
    *,
    dataset: str,
    part: int,
    jobs: int,
    run_seed: int,
    space: dict,
    training: dict,
    threads: int,
    store: str,
) -> None:
    """Train and profile share ``part`` of ``jobs`` of the space's phenotypes.

    Args:
        data_path: the prepared dataset (``data.npz``).
        out: the part's file, a list of records.
        dataset: the dataset's name (part of every training seed).
        part, jobs: which share, of how many.
        run_seed: the run seed.
        space: the ``search_space`` config.
        training: the ``training`` config.
        threads: torch threads.
        store: the FLOPs store's root: F_Q is profiled only for circuits it lacks.
    """
    torch.set_num_threads(threads)
    data = load_prepared(data_path)
    genomes = SearchSpace(space).phenotype_share(part, jobs)
    profiled = profile_genomes(genomes, data.n_features, data.n_classes, store)
    records = []
    for k, (genome, flops) in enumerate(zip(genomes, profiled)):
        seed = derive_seed(run_seed, dataset, genome.phenotype_key)
        entry = genome_entry(genome, dataset, 0, part + k * jobs)
        records.append(evaluate_genome(entry, genome, data, training, seed, flops, FLOPS_AWARE))
        print(f"{genome.phenotype_key}: accuracy {records[-1]['accuracy']:.4f}", file=sys.stderr)
    write_json(out, records)


def exhaustive(part_paths: Sequence[str], out: str, *, space: dict) -> None:
    """Join the parts into one table of every phenotype, checked complete.

    Args:
        part_paths: every ``exhaustive/part{c}.json``.
        out: the joined ``exhaustive/evaluations.tsv``.
        space: the ``search_space`` config.

    Raises:
        RecordError: a part holds an invalid record.
        ValueError: a phenotype is missing, repeated or outside the space.
    """
    space = SearchSpace(space)
    records = [
        check_record(record, space, f"{path} [{k}]")
        for path in part_paths
        for k, record in enumerate(read_json(path))
    ]
    records.sort(key=lambda r: r["index"])
    check_exhaustive(records, space)
    evaluations_table(records).to_csv(out, sep="\t", index=False)
    print(f"{len(records)} phenotypes evaluated", file=sys.stderr)
