"""The fused training step against the torch path it replaces: autograd
through `HQNN` and `faqnas.evaluation.adam.Adam`."""

import copy

import numpy as np
import pytest
import torch

from faqnas.evaluation.adam import Adam
from faqnas.evaluation.fused import FusedStep
from faqnas.evaluation.model import HQNN
from faqnas.evaluation.train import Protocol, train
from faqnas.search.space import Genome

GENOMES = [
    # A trig-strategy circuit, a product one, wide angle and amplitude ones,
    # CZ rings and every rotation gate.
    Genome(2, "angle", ("RY", "RX", "RZ", "RY"), "CNOT", "circular", 4),
    Genome(5, "angle", ("RX", "RZ", "RZ", "RZ"), "CNOT", "linear", 3),
    Genome(8, "angle", ("RX", "RY", "RZ", "RX"), "CZ", "circular", 4),
    # (Not RZ first with amplitude: the inputs never set wire 0, so that RZ
    # is a global phase whose zero gradient Adam turns rounding into steps.)
    Genome(3, "amplitude", ("RY", "RZ", "RX", "RZ"), "CZ", "linear", 4),
    Genome(9, "amplitude", ("RY", "RX", "RZ", "RX"), "CNOT", "circular", 2),
]


@pytest.mark.parametrize("genome", GENOMES, ids=lambda g: g.phenotype_key)
def test_fused_steps_equal_autograd_and_adam(genome):
    torch.manual_seed(0)
    model = HQNN(genome, 13, 4, dtype=torch.float64)
    reference = copy.deepcopy(model)
    initial = copy.deepcopy(model.state_dict())
    x = torch.randn(50, 13, dtype=torch.float64)
    y = torch.randint(0, 4, (50,))
    # A large rate so that four steps move every parameter visibly.
    fused = FusedStep(model, lr=0.05)
    optimiser = Adam(reference.parameters(), lr=0.05)
    for _ in range(4):
        rows = torch.randperm(50)[:17]
        loss = fused(x, y, rows)
        optimiser.zero_grad()
        expected = torch.nn.functional.nll_loss(reference(x[rows]), y[rows])
        expected.backward()
        optimiser.step()
        assert loss == pytest.approx(expected.item(), rel=1e-12)
    for (name, ours), theirs in zip(model.named_parameters(), reference.parameters()):
        assert torch.allclose(ours, theirs, rtol=0, atol=1e-10), name
        assert not torch.equal(ours, initial[name]), f"{name} did not move"


def test_training_fused_and_unfused_agree():
    genome = GENOMES[2]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 6)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    results = []
    for fused in (True, False):
        torch.manual_seed(1)
        model = HQNN(genome, 6, 2)
        results.append(train(model, x[:150], y[:150], x[150:], y[150:], Protocol(epochs=3), 7,
                             fused=fused))
    ours, theirs = results
    assert np.allclose(ours["loss_per_epoch"], theirs["loss_per_epoch"], rtol=1e-4)
    assert np.allclose(ours["accuracy_per_epoch"], theirs["accuracy_per_epoch"], atol=0.02)


def test_bad_batches_are_refused_before_the_kernel_reads_them():
    model = HQNN(GENOMES[0], 3, 2)
    step = FusedStep(model, lr=0.01)
    x, y = torch.randn(8, 3), torch.zeros(8, dtype=torch.int64)
    with pytest.raises(ValueError, match="must be torch.float32"):
        step(x.double(), y, torch.arange(4))
    with pytest.raises(ValueError, match="contiguous"):
        step(torch.randn(3, 8).T, y, torch.arange(4))
    with pytest.raises(ValueError, match="simulator backend"):
        FusedStep(torch.nn.Linear(2, 2), lr=0.01)
