"""Rule ``profile``: the FLOPs of a generation's genomes.

F_Q is profiled with the PyTorch profiler on the PennyLane model, as the
paper does, whatever backend trains it. One process profiles a whole
generation, so PennyLane's import (seconds) is paid once per generation
rather than once per genome.
"""

from __future__ import annotations

import sys
import time
from typing import Sequence

from faqnas.evaluation.flops import analytic_quantum_flops, profile_flops
from faqnas.records import read_genome, read_json, write_json
from faqnas.search.space import Genome, SearchSpace


def profile_genomes(genomes: Sequence[Genome], n_features: int, n_classes: int) -> list[dict]:
    """The FLOPs of each genome and the seconds profiling it took.

    Args:
        genomes: the genomes to profile.
        n_features: the dataset's feature count (the first Linear layer's input).
        n_classes: the dataset's class count (the last Linear layer's output).

    Returns:
        Per genome ``{"phenotype_key", "flops": {"total", "classical",
        "quantum", "quantum_analytic"}, "profile_s"}``.
    """
    import pennylane  # noqa: F401  (up front, so no genome's time includes the import)

    out = []
    for genome in genomes:
        start = time.perf_counter()
        flops = profile_flops(genome, n_features, n_classes)
        flops["quantum_analytic"] = analytic_quantum_flops(genome)
        out.append(
            {
                "phenotype_key": genome.phenotype_key,
                "flops": {k: int(v) for k, v in flops.items()},
                "profile_s": time.perf_counter() - start,
            }
        )
    return out


def profile(genome_paths: Sequence[str], data_summary_path: str, out: str, *, space: dict) -> None:
    """Profile the genomes of one generation into ``flops.json`` (a list, in order).

    Args:
        genome_paths: ``gen{g}/genomes/{i}.json`` for i = 0..P-1.
        data_summary_path: the dataset's ``data.json`` (feature and class counts).
        out: the generation's ``flops.json``.
        space: the ``search_space`` config.

    Raises:
        RecordError: a genome file is not valid.
    """
    space = SearchSpace(space)
    genomes = [read_genome(path, space)[1] for path in genome_paths]
    data = read_json(data_summary_path)
    profiled = profile_genomes(genomes, data["n_features"], data["n_classes"])
    write_json(out, profiled)
    for entry in profiled:
        print(f"{entry['phenotype_key']}: {entry['flops']} ({entry['profile_s']:.2f} s)", file=sys.stderr)
