"""Rule ``final_train``: one architecture of a search trained again from
scratch with one seed, and exported.

After a search, each architecture of the Pareto set is trained again with
several seeds (one job each), with the search's network
(`faqnas.evaluation.model.HQNN`) and optimiser (`faqnas.evaluation.train`),
for ``final.epochs`` epochs, optionally stopping after ``final.patience``
epochs without a better validation accuracy. The weights of the epoch with
the best validation accuracy are kept and scored once on the test split.

The config's defaults were measured by bench/bench_final_epochs.py
(bench/results/final-epochs-epyc-2core.txt; 4 genomes of 2-6 qubits x 3
seeds on Iris, Wine, Breast Cancer, Digits, at the search's lr and batch):

- ``final.epochs`` = 200. The small datasets give Adam only 2-18 steps an
  epoch, so many curves are still rising at 40 epochs (mean test accuracy
  11.9 points below 400 epochs; 20 epochs: 24.1 points below) and at 100
  (4.6); 200 epochs come within 1.9 points, 300 within 0.8. An epoch costs
  1-23 ms there, so 200 epochs are at most ~5 s a job. MNIST (750 steps an
  epoch, 0.5-1.4 s) gains under a point after 20 epochs (mean test
  accuracy at 20 and 30 epochs within 0.8 points of 60): 30 there
  (``final.dataset_epochs``).
- ``final.patience`` = null (no early stopping). Validation accuracy on
  24-287 rows moves in coarse steps and sits on plateaus while the network
  is still learning: stopping after 5, 10, 20, 50 or 100 epochs without
  improvement cost 29.0, 18.0, 10.2, 2.3 and 0.4 points of mean test
  accuracy against all 200 epochs, to save 86, 82, 60, 28 and 10 % of
  training that takes seconds.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np
import torch

from faqnas.data.store import load_prepared
from faqnas.evaluation.model import HQNN, param_counts
from faqnas.evaluation.train import Protocol, accuracy, train
from faqnas.final.export import save_model
from faqnas.records import read_json, write_json
from faqnas.search.seeds import derive_seed
from faqnas.search.space import Genome


def build_model(
    genome: Genome,
    n_features: int,
    n_classes: int,
    *,
    seed: int,
    backend: str = "simulator",
    dtype: torch.dtype | str = torch.float32,
    device: str = "cpu",
) -> HQNN:
    """A freshly initialised HQNN whose initial weights depend only on ``seed``.

    Args:
        genome (Genome): the architecture.
        n_features (int): input features.
        n_classes (int): output classes.
        seed (int): seeds torch's global generator before initialisation, as
            the search does.
        backend (str): ``"simulator"`` or ``"pennylane"``.
        dtype (torch.dtype | str): float32 or float64 (or their names).
        device (str): torch device.

    Returns:
        HQNN: the untrained network on ``device``.
    """
    dtype = getattr(torch, dtype) if isinstance(dtype, str) else dtype
    torch.manual_seed(seed)
    return HQNN(genome, n_features, n_classes, backend=backend, dtype=dtype).to(device)


class _KeepBest:
    """``on_epoch`` callback of `faqnas.train.train`: remembers the weights
    of the best validation epoch (the first, on ties, as the search counts
    its best epoch) and asks to stop after ``patience`` epochs without a
    better one."""

    def __init__(self, model: torch.nn.Module, patience: int | None):
        self.model, self.patience = model, patience
        # The initial weights stand in if the first epoch already diverges.
        self.epoch, self.accuracy, self.state = 0, -math.inf, self._copy()

    def _copy(self) -> dict:
        return {k: v.detach().clone() for k, v in self.model.state_dict().items()}

    def __call__(self, epoch: int, val_accuracy: float, loss: float) -> bool:
        if val_accuracy > self.accuracy:
            self.epoch, self.accuracy, self.state = epoch, val_accuracy, self._copy()
        return self.patience is not None and epoch - self.epoch >= self.patience

    def restore(self) -> None:
        self.model.load_state_dict(self.state)


def train_final(
    genome: Genome,
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    *,
    seed: int,
    n_classes: int | None = None,
    epochs: int,
    patience: int | None,
    lr: float = Protocol.lr,
    batch_size: int = Protocol.batch_size,
    backend: str = "simulator",
    dtype: torch.dtype | str = torch.float32,
    device: str = "cpu",
) -> tuple[HQNN, dict]:
    """Train one architecture from scratch, keep its best validation epoch, test it.

    Training is the search's (`faqnas.train.train`: Adam, NLL loss, batch
    order seeded by ``seed``); the test split is used once, on the kept
    weights. If the loss becomes non-finite, training stops there as in the
    search and the best weights before it are kept (the initial weights if
    no epoch finished; best epoch 0).

    Args:
        genome (Genome): the architecture.
        X_train (np.ndarray): standardised float32 training features.
        y_train (np.ndarray): training labels in 0..n_classes-1.
        X_val (np.ndarray): standardised validation features (choose the epoch).
        y_val (np.ndarray): validation labels.
        X_test (np.ndarray): standardised test features (score the kept weights).
        y_test (np.ndarray): test labels.
        seed (int): initialisation and batch-order seed.
        n_classes (int | None): number of classes; by default the largest label + 1.
        epochs (int): most epochs to train.
        patience (int | None): stop after this many epochs without a better
            validation accuracy; None trains all ``epochs``.
        lr (float): Adam's learning rate.
        batch_size (int): mini-batch size.
        backend (str): ``"simulator"`` or ``"pennylane"``.
        dtype (torch.dtype | str): float32 or float64.
        device (str): torch device.

    Returns:
        tuple[HQNN, dict]: the network with the best epoch's weights, and the
        result: ``seed``, settings (``epochs``, ``patience``, ``lr``,
        ``batch_size``, ``backend``, ``dtype``), ``val_accuracy_per_epoch``,
        ``loss_per_epoch``, ``best_epoch``, ``stopped_epoch`` (epochs
        completed), ``early_stopped``, ``diverged``, ``validation_accuracy``
        and ``test_accuracy`` of the returned weights, ``train_seconds``
        (training only) and ``params`` (`faqnas.model.param_counts`).

    Raises:
        ValueError: ``patience`` is not a positive integer or None.
    """
    if patience is not None and (
        isinstance(patience, bool) or int(patience) != patience or patience < 1
    ):
        raise ValueError(f"patience must be a positive integer or None, got {patience!r}")
    if n_classes is None:
        n_classes = int(max(y_train.max(), y_val.max(), y_test.max())) + 1
    model = build_model(
        genome, X_train.shape[1], n_classes, seed=seed, backend=backend, dtype=dtype, device=device
    )
    keep = _KeepBest(model, patience)
    start = time.perf_counter()
    trained = train(
        model, X_train, y_train, X_val, y_val, Protocol(epochs, lr, batch_size), seed, on_epoch=keep
    )
    seconds = time.perf_counter() - start
    keep.restore()
    stopped = len(trained["accuracy_per_epoch"])
    first = next(model.parameters())
    result = {
        "seed": seed,
        "epochs": epochs,
        "patience": patience,
        "lr": lr,
        "batch_size": batch_size,
        "backend": backend,
        "dtype": str(first.dtype).removeprefix("torch."),
        "val_accuracy_per_epoch": trained["accuracy_per_epoch"],
        "loss_per_epoch": trained["loss_per_epoch"],
        "best_epoch": keep.epoch,
        "stopped_epoch": stopped,
        "early_stopped": stopped < epochs and not trained["diverged"],
        "diverged": trained["diverged"],
        # Scored again on the kept weights rather than copied from the
        # curve, so the record is what the returned model does.
        "validation_accuracy": _score(model, X_val, y_val),
        "test_accuracy": _score(model, X_test, y_test),
        "train_seconds": seconds,
        "params": param_counts(model),
    }
    return model, result


def _score(model: torch.nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    first = next(model.parameters())
    return accuracy(
        model,
        torch.as_tensor(X, dtype=first.dtype, device=first.device),
        torch.as_tensor(y, dtype=torch.long, device=first.device),
    )


def final_seed(run_seed: int, dataset: str, phenotype_key: str, seed_index: int) -> int:
    """The training seed of re-training ``seed_index`` of an architecture:
    its own stream, apart from the search's seed for the same circuit."""
    return derive_seed(run_seed, dataset, phenotype_key, "final", seed_index)


def final_train(
    pareto_path: str,
    data_path: str,
    record_path: str,
    model_path: str,
    *,
    dataset: str,
    phenotype_key: str,
    seed_index: int,
    run_seed: int,
    training: dict,
    epochs: int,
    patience: int | None,
    threads: int,
) -> None:
    """Re-train one Pareto-optimal architecture with one seed; write its record and model.

    Args:
        pareto_path: the search's ``pareto.json`` (the architecture's genes
            and the search's record of it).
        data_path: the prepared dataset (``data.npz``).
        record_path: ``final/{phenotype_key}/seed{s}.json``: curves, accuracies, seconds.
        model_path: ``final/{phenotype_key}/seed{s}.pt`` (`faqnas.final.export`).
        dataset: the dataset's name.
        phenotype_key: the architecture.
        seed_index: s, which of the ``final.seeds`` re-trainings this is.
        run_seed: the run seed.
        training: the ``training`` config (lr, batch size, backend, dtype, device).
        epochs, patience: ``final.epochs`` (for this dataset) and ``final.patience``.
        threads: torch threads.

    Raises:
        ValueError: ``phenotype_key`` is not in the Pareto set.
        RecordError: the Pareto set is not valid JSON.
    """
    torch.set_num_threads(threads)
    searched = {r["phenotype_key"]: r for r in read_json(pareto_path)}
    if phenotype_key not in searched:
        raise ValueError(f"{pareto_path}: {phenotype_key} is not in the Pareto set")
    record = searched[phenotype_key]
    genome = Genome.from_genes(record["genes"])
    data = load_prepared(data_path)
    # Under the paper's protocol there is no test split: the kept weights are
    # scored on the validation split, and the record says so.
    scored_on = "test" if len(data.y_test) else "validation"
    X_test, y_test = (data.X_test, data.y_test) if len(data.y_test) else (data.X_val, data.y_val)
    seed = final_seed(run_seed, dataset, phenotype_key, seed_index)
    model, result = train_final(
        genome, data.X_train, data.y_train, data.X_val, data.y_val, X_test, y_test,
        seed=seed, n_classes=data.n_classes, epochs=epochs, patience=patience,
        lr=training["lr"], batch_size=training["batch_size"], backend=training["backend"],
        dtype=training["dtype"], device=training["device"],
    )
    save_model(
        model_path, model, genome=genome, mean=data.feature_mean, scale=data.feature_scale,
        class_names=data.class_names, feature_names=data.feature_names,
        test_accuracy=result["test_accuracy"], validation_accuracy=result["validation_accuracy"],
        seed=seed, training={k: result[k] for k in ("epochs", "patience", "lr", "batch_size",
                                                      "backend", "dtype")},
    )
    write_json(record_path, {
        "dataset": dataset,
        "phenotype_key": phenotype_key,
        "genes": record["genes"],
        "seed_index": seed_index,
        "scored_on": scored_on,
        "search_accuracy": record["accuracy"],
        "flops": record["flops"],
        **result,
    })
    print(
        f"{phenotype_key} seed {seed_index}: {scored_on} accuracy {result['test_accuracy']:.4f} "
        f"(validation {result['validation_accuracy']:.4f}, best epoch {result['best_epoch']}, "
        f"search {record['accuracy']:.4f}) in {result['train_seconds']:.1f} s",
        file=sys.stderr,
    )
