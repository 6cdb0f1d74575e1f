"""Rule ``profile``: the FLOPs of a generation's genomes.

F_Q is profiled with the PyTorch profiler on the PennyLane model, as the
paper does, whatever backend trains it, and only once per circuit: the FLOPs
store (`faqnas.evaluation.flops_store`) keeps every circuit profiled in this
working directory, whichever dataset, search, study or table profiled it.
A generation whose circuits are all in the store imports neither PennyLane
nor torch; otherwise one process profiles the missing ones, so PennyLane's
import (seconds) is paid once per generation rather than once per genome.
"""

from __future__ import annotations

import os
import sys
from typing import Mapping, Sequence

from faqnas.evaluation.flops_store import StoreEntry, fill_store, record_flops
from faqnas.evaluation.flops_table import published_entries
from faqnas.records import read_genome, read_json, write_json
from faqnas.search.space import Genome, SearchSpace


def profile_genomes(
    genomes: Sequence[Genome],
    n_features: int,
    n_classes: int,
    store: str | os.PathLike | None = None,
    published: Mapping[str, StoreEntry] | None = None,
) -> list[dict]:
    """The FLOPs of each genome and the seconds profiling it took.

    Args:
        genomes: the genomes to profile.
        n_features: the dataset's feature count (the first Linear layer's input).
        n_classes: the dataset's class count (the last Linear layer's output).
        store: the FLOPs store: circuits found there are not profiled again,
            those profiled are added. None profiles every circuit and stores
            nothing.
        published: entries known without profiling (`fill_store`).

    Returns:
        Per genome ``{"phenotype_key", "flops": {"total", "classical",
        "quantum", "quantum_analytic"}, "profile_s"}``; ``profile_s`` is the
        seconds this call spent profiling the genome (0 for a circuit found
        in the store or profiled for an earlier genome of ``genomes``).
    """
    entries, seconds = fill_store(store, genomes, n_features, n_classes, published)
    out = []
    for genome in genomes:
        key = genome.phenotype_key
        out.append({
            "phenotype_key": key,
            "flops": record_flops(entries[key], genome.n_qubits, n_features, n_classes),
            "profile_s": seconds.pop(key, 0.0),
        })
    return out


def profile(
    genome_paths: Sequence[str],
    data_summary_path: str,
    published: Sequence[str],
    out: str,
    *,
    space: dict,
    store: str,
) -> None:
    """Profile the genomes of one generation into ``flops.json`` (a list, in order).

    Args:
        genome_paths: ``gen{g}/genomes/{i}.json`` for i = 0..P-1.
        data_summary_path: the dataset's ``data.json`` (feature and class counts).
        published: the published FLOPs table (``docs/tables/flops.tsv.gz``),
            if there is one: circuits it holds for the installed versions are
            taken from it rather than profiled.
        out: the generation's ``flops.json``.
        space: the ``search_space`` config.
        store: the FLOPs store's root (``results/flops``).

    Raises:
        RecordError: a genome file or a store entry is not valid.
    """
    space = SearchSpace(space)
    genomes = [read_genome(path, space)[1] for path in genome_paths]
    data = read_json(data_summary_path)
    keys = [genome.phenotype_key for genome in genomes]
    known = {key: entry for table in published for key, entry in published_entries(table, keys).items()}
    profiled = profile_genomes(genomes, data["n_features"], data["n_classes"], store, known)
    write_json(out, profiled)
    for entry in profiled:
        print(f"{entry['phenotype_key']}: {entry['flops']} ({entry['profile_s']:.2f} s)", file=sys.stderr)
