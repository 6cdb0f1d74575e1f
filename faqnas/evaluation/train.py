"""The training protocol of the paper: Adam, fixed batch size and epochs,
best validation accuracy over epochs."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
from torch import nn

from faqnas.evaluation.adam import Adam
from faqnas.evaluation.fused import FusedStep
from faqnas.native import NativeUnavailable


@dataclass(frozen=True)
class Protocol:
    epochs: int = 5
    lr: float = 0.003
    batch_size: int = 64


def log_probabilities(model: nn.Module, X: torch.Tensor, chunk: int = 4096) -> torch.Tensor:
    """The model's outputs on X in evaluation mode, without gradients.

    Rows are computed in chunks of ``chunk``; `accuracy` and exported models'
    predictions go through here, so a prediction reproduces the recorded
    accuracy bit for bit (a matmul's rounding may depend on its batch size).
    """
    was_training = model.training
    model.eval()
    with torch.no_grad():
        out = torch.cat([model(X[start : start + chunk]) for start in range(0, len(X), chunk)])
    model.train(was_training)
    return out


def accuracy(model: nn.Module, X: torch.Tensor, y: torch.Tensor, chunk: int = 4096) -> float:
    pred = log_probabilities(model, X, chunk).argmax(dim=1)
    return int((pred == y).sum()) / len(X)


def _fused_step(model: nn.Module, protocol: Protocol) -> FusedStep | None:
    try:
        return FusedStep(model, lr=protocol.lr)
    except ValueError:  # not a model the kernel trains
        return None
    except NativeUnavailable as exc:
        warnings.warn(f"{exc}\nfaqnas trains in torch instead", stacklevel=3)
        return None


def train(
    model: nn.Module,
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    protocol: Protocol,
    seed: int,
    on_epoch: Callable[[int, float, float], bool | None] | None = None,
    fused: bool = True,
) -> dict:
    """Train with NLL loss (the model returns log-probabilities).

    A non-finite loss stops training: the run is recorded as diverged with the
    best accuracy reached before, so the search can go on.

    ``on_epoch(epoch, val_accuracy, loss)`` is called after each finished
    epoch (from 1); a true return value stops training there, e.g. for early
    stopping (`faqnas.final`). Without it training is exactly the search's.

    With ``fused`` (the default), an HQNN on the simulator backend on the CPU
    takes each step in one call of the compiled kernel (`FusedStep`); other
    models, and every model where the kernel cannot be built, take it in
    torch (autograd and `Adam`). Both compute the same step.
    """
    first = next(model.parameters())
    as_x = dict(dtype=first.dtype, device=first.device)
    as_y = dict(dtype=torch.long, device=first.device)
    Xt = torch.as_tensor(X_train, **as_x).contiguous()
    yt = torch.as_tensor(y_train, **as_y).contiguous()
    Xv, yv = torch.as_tensor(X_val, **as_x), torch.as_tensor(y_val, **as_y)
    # The batch order has its own generator so that it does not depend on how
    # many random numbers the model's initialisation happened to draw.
    shuffle = torch.Generator().manual_seed(seed)
    step = _fused_step(model, protocol) if fused else None
    optimiser = Adam(model.parameters(), lr=protocol.lr) if step is None else None
    loss_fn = nn.NLLLoss()

    accuracies: list[float] = []
    losses: list[float] = []
    diverged = False
    model.train()
    for _ in range(protocol.epochs):
        order = torch.randperm(len(Xt), generator=shuffle).to(first.device)
        # The loss is summed on the device and checked once per epoch: reading
        # it every step would synchronise a GPU on every batch. A non-finite
        # loss makes the sum non-finite, and the epoch that contains it
        # counts for nothing, exactly as if training stopped at that batch.
        total = torch.zeros((), dtype=torch.float64, device=first.device)
        for start in range(0, len(Xt), protocol.batch_size):
            idx = order[start : start + protocol.batch_size]
            if step is not None:
                total.add_(step(Xt, yt, idx) * len(idx))
                continue
            optimiser.zero_grad()
            loss = loss_fn(model(Xt[idx]), yt[idx])
            loss.backward()
            optimiser.step()
            total.add_(loss.detach(), alpha=len(idx))
        epoch_loss = float(total) / len(Xt)
        if not np.isfinite(epoch_loss):
            diverged = True
            break
        losses.append(epoch_loss)
        accuracies.append(accuracy(model, Xv, yv))
        if on_epoch is not None and on_epoch(len(accuracies), accuracies[-1], epoch_loss):
            break

    best = max(accuracies, default=0.0)
    return {
        "epochs": protocol.epochs,
        "lr": protocol.lr,
        "batch_size": protocol.batch_size,
        "accuracy_per_epoch": accuracies,
        "loss_per_epoch": losses,
        "best_accuracy": best,
        "best_epoch": accuracies.index(best) + 1 if accuracies else 0,
        "diverged": diverged,
    }
