"""How many genomes of a generation share one evaluate job (``search.genomes_per_job``).

A job pays its start-up before it trains anything: the interpreter,
Snakemake's script preamble, ``import torch`` and reading the prepared data
take ~1.5-2.7 s of CPU and wall time on this project's 2-core VMs
(``python -X importtime``: 1.2-1.9 s of it is torch), while a genome of the
search protocol trains (fused kernel steps) on Iris in ~0.006 s and on full
MNIST in ~0.5-8 s (~2.5 s on average). One process per genome then spends
almost all of a small dataset's CPU starting processes, and half of full
MNIST's. Under ``auto`` a job evaluates the fewest genomes whose estimated
training is `TRAINING_PER_STARTUP` times its start-up, so start-up is at
most a fifth of the CPU: a whole generation on the small datasets, four or
five genomes a job on full MNIST (larger jobs mean fewer at once on a
cluster). Each genome keeps its own record file, written as soon as it is
evaluated and stored, so a killed batch loses only the genome in training.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from faqnas.data.registry import DatasetError, dataset_options
from faqnas.data.sources import training_size

AUTO = "auto"
# Measured on the 2-core VM, one torch thread (December 2026): a job's
# start-up; and a genome's training time under the search protocol (fused
# kernel steps) as a fixed cost plus a cost per optimiser step, fitted to the
# paper-protocol searches' mean train seconds (bench/bench_search.py): Iris
# 10 steps 0.006 s, Digits 115 steps 0.053 s, full MNIST 4,690 steps 2.45 s.
STARTUP_SECONDS = 2.0
GENOME_SECONDS = 0.005
STEP_SECONDS = 0.0005
# A job's estimated training per second of its start-up. Measured on the
# full-MNIST search of the paper protocol (bench/bench_search.py, 2 cores,
# December 2026): with torch steps, 1 genome a job 857 s wall, 2 genomes
# 797 s, 3 genomes 796 s; with fused steps, 2 genomes 416 s and 4 (this
# rule) 347 s. Larger jobs also mean fewer at once on a cluster.
TRAINING_PER_STARTUP = 4


def genome_seconds(n_train: int, epochs: int, batch_size: int) -> float:
    """Estimated seconds to train one genome under the search protocol.

    Args:
        n_train: training samples.
        epochs: training epochs.
        batch_size: samples per optimiser step.

    Returns:
        The fixed cost plus the cost of ``epochs * ceil(n_train / batch_size)`` steps.
    """
    return GENOME_SECONDS + STEP_SECONDS * epochs * math.ceil(n_train / batch_size)


def genomes_per_job(setting: int | str, population: int, seconds: float | None = None) -> int:
    """How many genomes one evaluate job trains.

    Args:
        setting: ``search.genomes_per_job``: a number, or ``"auto"``.
        population: genomes per generation.
        seconds: under ``auto``, the estimated training seconds of one genome
            (`genome_seconds`).

    Returns:
        ``setting`` or, under ``auto``, the fewest genomes whose training
        lasts `TRAINING_PER_STARTUP` times a job's start-up; never more than
        the population.

    Raises:
        ValueError: ``setting`` is neither ``"auto"`` nor a positive integer.
    """
    if setting == AUTO:
        wanted = math.ceil(TRAINING_PER_STARTUP * STARTUP_SECONDS / seconds)
    elif isinstance(setting, int) and not isinstance(setting, bool) and setting >= 1:
        wanted = setting
    else:
        raise ValueError(f"search.genomes_per_job = {setting!r}: allowed is 'auto' or an integer >= 1")
    return max(1, min(wanted, population))


def batches(population: int, size: int) -> list[tuple[int, ...]]:
    """The genome indices of a generation, in jobs of ``size`` (the last may be smaller).

    Args:
        population: genomes per generation.
        size: genomes per job.

    Returns:
        Consecutive index tuples covering ``range(population)`` once.
    """
    return [tuple(range(start, min(start + size, population))) for start in range(0, population, size)]


@dataclass(frozen=True)
class EvaluateJob:
    """One evaluate rule of the workflow: which genomes of a generation a
    job of it evaluates, for the searches of which datasets.

    Attributes:
        indices: the genomes' places in the generation; None for one genome
            per job, any index (the ``{i}`` wildcard).
        datasets: the datasets whose searches it serves.
    """

    indices: tuple[int, ...] | None
    datasets: tuple[str, ...]

    @property
    def name(self) -> str:
        """The rule's name: ``evaluate``, or ``evaluate_{first}_to_{last}``."""
        if self.indices is None:
            return "evaluate"
        return f"evaluate_{self.indices[0]}_to_{self.indices[-1]}"

    @property
    def label(self) -> str:
        """The job's part of its log and benchmark file names."""
        return "evaluate_{i}" if self.indices is None else self.name

    @property
    def size(self) -> int | None:
        return None if self.indices is None else len(self.indices)

    def files(self, folder: Path) -> list[Path]:
        """The job's genome or record files in a generation's ``folder``."""
        if self.indices is None:
            return [folder / "{i}.json"]
        return [folder / f"{i}.json" for i in self.indices]

    def genome_indices(self, wildcards) -> list[int]:
        """Snakemake params function: the indices of a job's genomes."""
        return [int(wildcards.i)] if self.indices is None else list(self.indices)


def evaluate_jobs(sizes: dict[str, int], population: int) -> list[EvaluateJob]:
    """The evaluate rules that split every dataset's generations as asked.

    Args:
        sizes: each searched dataset's genomes per job (`genomes_per_job`).
        population: genomes per generation.

    Returns:
        One rule per distinct share of a generation (datasets that split
        their generations alike share its rules), and the per-genome rule
        for the datasets with one genome per job; in a fixed order.
    """
    served: dict[tuple[int, ...] | None, list[str]] = defaultdict(list)
    for dataset, size in sorted(sizes.items()):
        for indices in [None] if size == 1 else batches(population, size):
            served[indices].append(dataset)
    order = sorted(served, key=lambda indices: (-1,) if indices is None else indices)
    return [EvaluateJob(indices, tuple(served[indices])) for indices in order]


def dataset_job_sizes(config: dict, datasets) -> dict[str, int]:
    """Each dataset's genomes per evaluate job under ``config``.

    Args:
        config: the (validated) workflow config.
        datasets: the datasets searched.

    Returns:
        `genomes_per_job` of each, from its training split's size. A dataset
        whose source cannot be read gets 1 under ``auto``: this happens only
        where the sources are not checked (lint, unlock, report), which run
        no evaluate job.
    """
    search, training = config["search"], config["training"]
    setting, population = search["genomes_per_job"], search["population"]
    if setting != AUTO:
        return {dataset: genomes_per_job(setting, population) for dataset in datasets}
    sizes = {}
    for dataset in datasets:
        try:
            n_train = training_size(dataset, dataset_options(config, dataset))
        except DatasetError:
            sizes[dataset] = 1
            continue
        seconds = genome_seconds(n_train, training["epochs"], training["batch_size"])
        sizes[dataset] = genomes_per_job(AUTO, population, seconds)
    return sizes
