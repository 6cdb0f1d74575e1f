"""Cluster resources of the heavy jobs, from measured costs and the data's size.

Measured on this project's 2-core machine (docs/cluster.md): a prepared
dataset's ``data.npz`` holds float32 features, so its size stands for the
number of samples times features. Full MNIST (220 MB prepared) trains an
epoch in ~2 minutes on the simulator and ~12 on PennyLane; the tabular
datasets (under 1 MB) in seconds. A genome job's peak memory is ~0.5 GB plus
~4 times the data (1.6 GB on full MNIST with PennyLane). Preparing MNIST
peaks at ~1 GB from 55 MB of IDX files (11 MB gzipped).
"""

from __future__ import annotations

import math

# Minutes per training epoch per MB of prepared data, by backend.
EPOCH_MINUTES_PER_MB = {"simulator": 2 / 220, "pennylane": 12 / 220}
# Seconds to evaluate one phenotype (train + profile) per MB of prepared
# data, and at the least (tabular data: ~0.2 s, with a margin for slow nodes).
PHENOTYPE_SECONDS_PER_MB = 10 / 220
PHENOTYPE_SECONDS_MIN = 1.0
# Start-up, reading data and writing results: a margin on every job.
MARGIN_MINUTES = 10
JOB_BASE_MB = 1200
MB_PER_DATA_MB = 4
PREPARE_BASE_MB = 1000
# Covers gzipped sources, whose decompressed arrays are ~5x their size.
PREPARE_MB_PER_SOURCE_MB = 100


def prepare_mem_mb(source_mb: float) -> int:
    """Memory of ``prepare`` for ``source_mb`` MB of source files (0 for bundled data)."""
    return math.ceil(PREPARE_BASE_MB + PREPARE_MB_PER_SOURCE_MB * source_mb)


def evaluate_mem_mb(data_mb: float) -> int:
    """Memory of a genome job on ``data_mb`` MB of prepared data."""
    return math.ceil(JOB_BASE_MB + MB_PER_DATA_MB * data_mb)


def evaluate_runtime_min(data_mb: float, epochs: int, backend: str, genomes: int = 1) -> int:
    """Wall-time limit of an evaluate job of ``genomes`` genomes: every epoch
    of each at least a minute."""
    per_epoch = max(math.ceil(EPOCH_MINUTES_PER_MB[backend] * data_mb), 1)
    return MARGIN_MINUTES + genomes * epochs * per_epoch


def part_runtime_min(data_mb: float, phenotypes: int) -> int:
    """Wall-time limit of a part of a table (`table_part`, `flops_part`) that
    trains or profiles ``phenotypes`` phenotypes."""
    seconds = max(PHENOTYPE_SECONDS_PER_MB * data_mb, PHENOTYPE_SECONDS_MIN) * phenotypes
    return MARGIN_MINUTES + math.ceil(seconds / 60)
