"""One genome's evaluation: train it, profile its FLOPs, describe it as a record."""

from __future__ import annotations

import platform
import time
from importlib.metadata import version

import torch

from . import __version__
from .flops import analytic_quantum_flops, profile_flops
from .model import HQNN, param_counts
from .records import objectives
from .space import Genome
from .train import Protocol, train


def _versions() -> dict:
    # Read from package metadata: importing pennylane here would cost seconds.
    return {
        "faqnas": __version__,
        "torch": torch.__version__,
        "pennylane": version("pennylane"),
        "python": platform.python_version(),
    }


def profile_genomes(genomes: list[Genome], n_features: int, n_classes: int) -> list[dict]:
    """FLOPs of each genome: the PyTorch profiler's (on the PennyLane model,
    as in the paper) and the analytic count, with the seconds it took.

    One process profiles a whole generation, so PennyLane's import (seconds)
    is paid once per generation rather than once per genome.
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


def evaluate_genome(
    entry: dict,
    genome: Genome,
    data,
    training: dict,
    seed: int,
    profiled: dict,
    flops_aware: bool = True,
) -> dict:
    """The record of one genome: its genome entry, training, FLOPs and params.

    ``seed`` should depend only on the run seed, the dataset and the phenotype,
    so the same circuit gets the same result wherever it is evaluated.
    ``profiled`` is this genome's entry of ``profile_genomes``; ``flops_aware``
    says which objectives the search minimises (the record's ``objectives``).
    """
    if profiled["phenotype_key"] != genome.phenotype_key:
        raise ValueError(
            f"FLOPs were profiled for {profiled['phenotype_key']}, not {genome.phenotype_key}"
        )
    n_features, n_classes = data.X_train.shape[1], len(data.class_names)
    dtype = getattr(torch, training["dtype"])
    torch.manual_seed(seed)
    model = HQNN(genome, n_features, n_classes, backend=training["backend"], dtype=dtype)
    model.to(training["device"])
    protocol = Protocol(training["epochs"], training["lr"], training["batch_size"])

    started_at = time.time()
    start = time.perf_counter()
    result = train(model, data.X_train, data.y_train, data.X_val, data.y_val, protocol, seed)
    trained = time.perf_counter()

    record = {
        **entry,
        "seed": seed,
        "training": {"backend": training["backend"], "dtype": training["dtype"], **result},
        "accuracy": result["best_accuracy"],
        "flops": profiled["flops"],
        "params": param_counts(model),
        "wall_time_s": {"train": trained - start, "profile": profiled["profile_s"]},
        "timestamps": {"started": started_at, "finished": time.time()},
        "versions": _versions(),
    }
    record["objectives"] = objectives(record, flops_aware)
    return record
