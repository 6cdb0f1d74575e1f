"""Rule ``table_part``: a share of the search space's phenotypes trained with one
run seed, as a live search with that run seed would train them."""

from __future__ import annotations

import json
import sys
import time
import pandas as pd
import torch

from faqnas.data.store import PreparedData, load_prepared
from faqnas.evaluation.evaluate import search_model
from faqnas.evaluation.model import param_counts
from faqnas.evaluation.train import Protocol, accuracy, train
from faqnas.search.seeds import derive_seed
from faqnas.search.space import Genome, SearchSpace


def phenotype_row(genome: Genome, data: PreparedData, training: dict, run_seed: int) -> dict:
    """One table row: ``genome`` trained as a search with ``run_seed`` trains it.

    The training seed is the search's (run seed, dataset, phenotype), so the
    validation accuracies equal a live search's record. The test split is
    scored after every epoch without influencing training (no gradient, no
    random draw), and the row keeps the test accuracy of the epoch the
    search's objective picks (the first epoch of best validation accuracy).

    Args:
        genome: the phenotype.
        data: the prepared dataset, with its test split.
        training: the ``training`` config.
        run_seed: the run seed the row stands for.

    Returns:
        The row: key, genes, ``seed`` (run seed), ``training_seed``,
        ``val_accuracy`` (best), ``best_epoch``, ``test_accuracy`` (at the
        best epoch), ``val_accuracy_per_epoch`` and ``test_accuracy_per_epoch``
        (JSON lists), ``diverged``, ``params``, ``train_seconds``.
    """
    seed = derive_seed(run_seed, data.name, genome.phenotype_key)
    model = search_model(genome, data, training, seed)
    first = next(model.parameters())
    X_test = torch.as_tensor(data.X_test, dtype=first.dtype, device=first.device)
    y_test = torch.as_tensor(data.y_test, dtype=torch.long, device=first.device)
    tests: list[float] = []
    start = time.perf_counter()
    result = train(
        model, data.X_train, data.y_train, data.X_val, data.y_val,
        Protocol(training["epochs"], training["lr"], training["batch_size"]), seed,
        on_epoch=lambda epoch, val, loss: tests.append(accuracy(model, X_test, y_test)),
    )
    seconds = time.perf_counter() - start
    best = result["best_epoch"]
    return {
        "phenotype_key": genome.phenotype_key,
        **genome.to_genes(),
        "seed": run_seed,
        "training_seed": seed,
        "val_accuracy": result["best_accuracy"],
        "best_epoch": best,
        "test_accuracy": tests[best - 1] if best else float("nan"),
        "val_accuracy_per_epoch": json.dumps(result["accuracy_per_epoch"]),
        "test_accuracy_per_epoch": json.dumps(tests),
        "diverged": result["diverged"],
        "params": param_counts(model)["total"],
        "train_seconds": seconds,
    }


def table_part(
    data_path: str,
    out: str,
    *,
    dataset: str,
    part: int,
    parts: int,
    run_seed: int,
    space: dict,
    training: dict,
    threads: int,
) -> None:
    """Train share ``part`` of ``parts`` of the space's phenotypes; write their rows.

    Args:
        data_path: the prepared dataset (``data.npz``).
        out: the part's TSV.
        dataset: the dataset's name.
        part, parts: which share, of how many (every parts-th phenotype, so
            each part holds small and large circuits alike).
        run_seed: the run seed the table stands for.
        space: the ``search_space`` config (Table I for the published tables).
        training: the ``training`` config.
        threads: torch threads.

    Raises:
        ValueError: ``part`` is not in 0..parts-1, or the data has no test split.
    """
    torch.set_num_threads(threads)
    data = load_prepared(data_path)
    if data.name != dataset or not len(data.y_test):
        raise ValueError(f"{data_path}: tables need {dataset}'s held-out test split")
    genomes = SearchSpace(space).phenotype_share(part, parts)
    rows = [phenotype_row(genome, data, training, run_seed) for genome in genomes]
    pd.DataFrame(rows).to_csv(out, sep="\t", index=False)
    print(f"{dataset} seed {run_seed} part {part}: {len(rows)} phenotypes", file=sys.stderr)
