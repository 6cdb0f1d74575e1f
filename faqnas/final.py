"""Final re-training of selected architectures, and its summary statistics.

After a search, each architecture of the Pareto set is trained again from
scratch with several seeds, with the search's network (`faqnas.model.HQNN`)
and optimiser (`faqnas.train`), for up to `DEFAULT_EPOCHS` epochs, optionally
stopping after ``patience`` epochs without a better validation accuracy.
The weights of the epoch with the best validation accuracy are kept and
scored once on the test split. `summarise_final` turns the per-seed rows into one
row per architecture with a confidence interval; `kendall_tau` says how well
the search's ranking survives re-training.

Defaults, measured by bench/bench_final_epochs.py
(bench/results/final-epochs-epyc-2core.txt; 4 genomes of 2-6 qubits x 3
seeds on Iris, Wine, Breast Cancer, Digits, at the search's lr and batch):

- `DEFAULT_EPOCHS` = 200. The small datasets give Adam only 2-18 steps an
  epoch, so many curves are still rising at 40 epochs (mean test accuracy
  11.9 points below 400 epochs; 20 epochs: 24.1 points below) and at 100
  (4.6); 200 epochs come within 1.9 points, 300 within 0.8. An epoch costs
  1-23 ms there, so 200 epochs are at most ~5 s a job. MNIST (750 steps an
  epoch, 0.5-1.4 s) gains under a point after 20 epochs (mean test
  accuracy at 20 and 30 epochs within 0.8 points of 60): use 30 there.
- `DEFAULT_PATIENCE` = None (no early stopping). Validation accuracy on
  24-287 rows moves in coarse steps and sits on plateaus while the network
  is still learning: stopping after 5, 10, 20, 50 or 100 epochs without
  improvement cost 29.0, 18.0, 10.2, 2.3 and 0.4 points of mean test
  accuracy against all 200 epochs, to save 86, 82, 60, 28 and 10 % of
  training that takes seconds.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import torch

from faqnas.model import HQNN, param_counts
from faqnas.space import Genome
from faqnas.train import Protocol, accuracy, train

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_EPOCHS = 200
DEFAULT_PATIENCE = None
CONFIDENCE = 0.95
# Columns of `summarise_final`'s input that vary from seed to seed; every
# other column describes the architecture.
PER_SEED_COLUMNS = ("seed", "test_accuracy", "validation_accuracy", "train_seconds")


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
    epochs: int = DEFAULT_EPOCHS,
    patience: int | None = DEFAULT_PATIENCE,
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


def summarise_final(rows: "pd.DataFrame") -> "pd.DataFrame":
    """One row per architecture from the per-seed rows of final re-training.

    The 95 % interval of the test accuracy is Student's t interval,
    mean ± t(0.975, n-1) · sd / √n (``scipy.stats.t.interval``). Chosen over
    the bootstrap because there are only a handful of seeds (5 by default):
    a percentile bootstrap of 5 values can only resample 126 distinct
    multisets and its intervals are systematically too narrow (it ignores
    the uncertainty of the sd), while the t interval is exact when seed to
    seed variation is normal and is what readers expect for a few runs.
    It is not clipped to [0, 1], so its width stays that of the t interval;
    a bound beyond 1 shows that the normal assumption is strained near the
    ceiling. With one seed sd and interval are NaN (no spread can be
    estimated); with seeds that agree exactly the interval is the mean.

    Args:
        rows (pd.DataFrame): one row per (architecture, seed) with columns
            ``phenotype_key`` and `PER_SEED_COLUMNS` (``seed``,
            ``test_accuracy``, ``validation_accuracy``, ``train_seconds``).
            Any other column (genes, the search's accuracy, F_Q, params)
            describes the architecture, must be the same for all its seeds,
            and is carried over.

    Returns:
        pd.DataFrame: one row per ``phenotype_key``, in order of first
        appearance: ``phenotype_key``, the carried columns, ``seeds`` (how
        many), ``test_accuracy_mean``, ``test_accuracy_sd`` (ddof=1),
        ``test_accuracy_ci95_low``, ``test_accuracy_ci95_high``,
        ``validation_accuracy_mean``, ``train_seconds`` (sum over seeds).

    Raises:
        ValueError: a required column is missing, a (phenotype_key, seed)
            pair repeats, or a carried column differs between seeds.
    """
    import pandas as pd

    missing = [c for c in ("phenotype_key", *PER_SEED_COLUMNS) if c not in rows.columns]
    if missing:
        raise ValueError(f"final rows lack the columns {missing}")
    repeated = rows[rows.duplicated(["phenotype_key", "seed"])]
    if len(repeated):
        pairs = list(zip(repeated["phenotype_key"], repeated["seed"]))[:5]
        raise ValueError(f"(phenotype_key, seed) rows repeat: {pairs}")
    carried = [c for c in rows.columns if c not in ("phenotype_key", *PER_SEED_COLUMNS)]
    groups = rows.groupby("phenotype_key", sort=False)
    if carried:
        varying = [c for c in carried if (groups[c].nunique(dropna=False) > 1).any()]
        if varying:
            raise ValueError(
                f"columns {varying} differ between seeds of one architecture; "
                f"only {list(PER_SEED_COLUMNS)} may"
            )
    out = groups[carried].first() if carried else pd.DataFrame(index=groups.size().index)
    test = groups["test_accuracy"]
    out["seeds"] = groups.size()
    out["test_accuracy_mean"] = test.mean()
    out["test_accuracy_sd"] = test.std(ddof=1)
    bounds = {key: _t_interval(acc.to_numpy(dtype=float)) for key, acc in test}
    out["test_accuracy_ci95_low"] = [bounds[key][0] for key in out.index]
    out["test_accuracy_ci95_high"] = [bounds[key][1] for key in out.index]
    out["validation_accuracy_mean"] = groups["validation_accuracy"].mean()
    out["train_seconds"] = groups["train_seconds"].sum()
    return out.reset_index()


def _t_interval(values: np.ndarray) -> tuple[float, float]:
    from scipy import stats

    n = len(values)
    if n < 2:
        return math.nan, math.nan
    mean, sem = float(values.mean()), float(values.std(ddof=1)) / math.sqrt(n)
    if sem == 0:
        # scipy rejects a zero scale; the t interval's width is zero then.
        return mean, mean
    low, high = stats.t.interval(CONFIDENCE, n - 1, loc=mean, scale=sem)
    return float(low), float(high)


class KendallTau(NamedTuple):
    """Kendall's rank correlation and its two-sided p-value."""

    tau: float
    pvalue: float


def kendall_tau(search_accuracy, final_accuracy) -> KendallTau:
    """How well the search's accuracies rank the architectures as re-training does.

    Kendall's tau-b (``scipy.stats.kendalltau``) between the two, one
    value per architecture. Pairs with a NaN in either are left out.

    Args:
        search_accuracy (array-like): accuracy each architecture had in the search.
        final_accuracy (array-like): its accuracy after final re-training
            (e.g. the test accuracy mean).

    Returns:
        KendallTau: ``(tau, pvalue)``; both NaN with fewer than 2 complete
        pairs or when either side is constant (no ranking to compare).

    Raises:
        ValueError: the two have different lengths.
    """
    from scipy import stats

    x = np.asarray(search_accuracy, dtype=float).ravel()
    y = np.asarray(final_accuracy, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"{len(x)} search accuracies but {len(y)} final accuracies")
    complete = np.isfinite(x) & np.isfinite(y)
    x, y = x[complete], y[complete]
    if len(x) < 2 or np.all(x == x[0]) or np.all(y == y[0]):
        return KendallTau(math.nan, math.nan)
    result = stats.kendalltau(x, y)
    return KendallTau(float(result.statistic), float(result.pvalue))
