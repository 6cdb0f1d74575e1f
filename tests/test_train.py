"""The training protocol: best validation accuracy, seeded order, divergence."""

import numpy as np
import torch
from torch import nn

from faqnas.evaluation.train import Protocol, train


class Logistic(nn.Module):
    def __init__(self, d, c):
        super().__init__()
        self.linear = nn.Linear(d, c)

    def forward(self, x):
        return torch.log_softmax(self.linear(x), dim=-1)


class ExplodesAfter(Logistic):
    """Returns NaN log-probabilities from the n-th training call on."""

    def __init__(self, d, c, n):
        super().__init__(d, c)
        self.calls, self.n = 0, n

    def forward(self, x):
        out = super().forward(x)
        if self.training:
            self.calls += 1
            if self.calls >= self.n:
                return out * float("nan")
        return out


def blobs(seed=0, n=200, d=4, c=3):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, c, n)
    X = rng.normal(size=(n, d)).astype(np.float32) + 3 * np.eye(c, d)[y]
    return X[:150], y[:150], X[150:], y[150:]


def test_best_accuracy_is_the_maximum_over_epochs():
    torch.manual_seed(0)
    result = train(Logistic(4, 3), *blobs(), Protocol(epochs=4, lr=0.05, batch_size=16), seed=1)
    assert len(result["accuracy_per_epoch"]) == 4 and len(result["loss_per_epoch"]) == 4
    assert result["best_accuracy"] == max(result["accuracy_per_epoch"])
    assert result["accuracy_per_epoch"][result["best_epoch"] - 1] == result["best_accuracy"]
    assert result["best_accuracy"] > 0.8  # separable blobs are learnt
    assert not result["diverged"]


def test_same_seed_same_result_and_seed_matters():
    def run(seed):
        torch.manual_seed(0)
        return train(Logistic(4, 3), *blobs(), Protocol(epochs=2, lr=0.01, batch_size=8), seed=seed)

    assert run(3) == run(3)
    assert run(3)["loss_per_epoch"] != run(4)["loss_per_epoch"]


def test_diverging_training_is_recorded_with_the_best_accuracy_reached():
    torch.manual_seed(0)
    # 150 samples / batch 50 = 3 steps per epoch: NaN appears in epoch 2.
    model = ExplodesAfter(4, 3, n=5)
    result = train(model, *blobs(), Protocol(epochs=5, lr=0.05, batch_size=50), seed=1)
    assert result["diverged"]
    assert len(result["accuracy_per_epoch"]) == 1
    assert result["best_accuracy"] == result["accuracy_per_epoch"][0] > 0
    assert all(np.isfinite(result["loss_per_epoch"]))


def test_divergence_in_the_first_epoch_gives_zero_accuracy():
    model = ExplodesAfter(4, 3, n=1)
    result = train(model, *blobs(), Protocol(epochs=3), seed=1)
    assert result["diverged"] and result["best_accuracy"] == 0.0 and result["best_epoch"] == 0
