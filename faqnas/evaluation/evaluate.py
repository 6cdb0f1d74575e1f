"""Rule ``evaluate``: the records of a job's genomes (their training, FLOPs and parameters)."""

from __future__ import annotations

import platform
import sys
import time
from importlib.metadata import version
from typing import Sequence

import torch

from faqnas import __version__
from faqnas.data.store import PreparedData, load_prepared
from faqnas.evaluation.model import HQNN, param_counts
from faqnas.evaluation.reuse import EvaluationKey, evaluate_or_reuse
from faqnas.evaluation.train import Protocol, train
from faqnas.records import GenomeEntry, Record, read_genome, read_json, write_json
from faqnas.search.objectives import objectives
from faqnas.search.seeds import derive_seed
from faqnas.search.space import Genome, SearchSpace


def _versions() -> dict:
    # Read from package metadata: importing pennylane here would cost seconds.
    return {
        "faqnas": __version__,
        "torch": torch.__version__,
        "pennylane": version("pennylane"),
        "python": platform.python_version(),
    }


def search_model(genome: Genome, data: PreparedData, training: dict, seed: int) -> HQNN:
    """The freshly initialised network a search trains for ``genome``.

    Args:
        genome: the architecture.
        data: the prepared dataset (feature and class counts).
        training: the ``training`` config (backend, dtype, device).
        seed: the training seed; it also seeds the initialisation.
    """
    torch.manual_seed(seed)
    model = HQNN(
        genome, data.n_features, data.n_classes,
        backend=training["backend"], dtype=getattr(torch, training["dtype"]),
    )
    return model.to(training["device"])


def evaluate_genome(
    entry: GenomeEntry,
    genome: Genome,
    data: PreparedData,
    training: dict,
    seed: int,
    profiled: dict,
    mode: str,
) -> Record:
    """Train ``genome`` and describe it as a record.

    Args:
        entry: the genome's file (dataset, generation, index, genes, key).
        genome: the genome it describes.
        data: the prepared dataset.
        training: the ``training`` config.
        seed: the training seed; it should depend only on the run seed, the
            dataset and the phenotype (`faqnas.search.seeds.derive_seed`), so
            the same circuit gets the same result wherever it is evaluated.
        profiled: this genome's entry of `faqnas.evaluation.profile.profile_genomes`.
        mode: the objectives the search minimises (`faqnas.search.objectives`).

    Returns:
        The record.

    Raises:
        ValueError: ``profiled`` belongs to another phenotype.
    """
    if profiled["phenotype_key"] != genome.phenotype_key:
        raise ValueError(
            f"FLOPs were profiled for {profiled['phenotype_key']}, not {genome.phenotype_key}"
        )
    model = search_model(genome, data, training, seed)
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
    record["objectives"] = objectives(record, mode)
    return record


def evaluate(
    genome_paths: Sequence[str],
    data_path: str,
    data_description_path: str,
    flops_path: str,
    outs: Sequence[str],
    *,
    indices: Sequence[int],
    run_seed: int,
    dataset: str,
    mode: str,
    space: dict,
    training: dict,
    store: str,
    threads: int,
) -> None:
    """Write the records of some genomes of a generation (one job's share,
    `faqnas.pipeline.batches`), training each unless the dataset's
    evaluation store already holds its evaluation (`faqnas.evaluation.reuse`).

    Each record is written as soon as its genome is evaluated and stored, so
    a job killed part-way keeps its finished genomes, and its rerun reuses
    their stored evaluations instead of training them again.

    Args:
        genome_paths: ``gen{g}/genomes/{i}.json`` of each genome.
        data_path: the prepared dataset (``data.npz``), read once, and only
            when a genome must be trained.
        data_description_path: its ``data.json`` (the data's hash keys the store).
        flops_path: the generation's ``flops.json``.
        outs: ``gen{g}/records/{i}.json`` of each genome.
        indices: each genome's i, its place in the generation.
        run_seed: the run seed.
        dataset: the dataset's name.
        mode: the objectives the search minimises.
        space: the ``search_space`` config.
        training: the ``training`` config.
        store: the dataset's evaluation store folder.
        threads: torch threads.

    Raises:
        ValueError: the genomes, records and indices differ in number.
        RecordError: a genome file is not valid.
        DatasetError: the prepared dataset cannot be read.
    """
    if not len(genome_paths) == len(outs) == len(indices):
        raise ValueError(
            f"{len(genome_paths)} genomes, {len(outs)} records and {len(indices)} indices"
        )
    space = SearchSpace(space)
    profiles = read_json(flops_path)
    data_sha256 = read_json(data_description_path)["sha256"]
    torch.set_num_threads(threads)
    data: list[PreparedData] = []  # loaded by the first genome that trains

    for genome_path, out, index in zip(genome_paths, outs, indices):
        entry, genome = read_genome(genome_path, space)
        seed = derive_seed(run_seed, dataset, genome.phenotype_key)
        profiled = profiles[index]
        key = EvaluationKey(genome.phenotype_key, data_sha256, seed, training)

        def fresh() -> Record:
            if not data:
                data.append(load_prepared(data_path))
            return evaluate_genome(entry, genome, data[0], training, seed, profiled, mode)

        record, how = evaluate_or_reuse(entry, key, store, profiled, mode, space, fresh)
        write_json(out, record)
        print(
            f"{index}: {genome.phenotype_key}: accuracy {record['accuracy']:.4f}, "
            f"F_Q {record['flops']['quantum']}, params {record['params']['total']}, "
            f"diverged {record['training']['diverged']}, "
            f"trained in {record['wall_time_s']['train']:.1f} s; {how}",
            file=sys.stderr,
        )
