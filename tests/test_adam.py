"""faqnas' Adam takes the same steps as torch.optim.Adam."""

import subprocess
import sys

import pytest
import torch
from torch import nn

from faqnas.evaluation.adam import Adam


def trajectory(make_optimiser, dtype, steps=25):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 3)).to(dtype)
    x, y = torch.randn(32, 5, dtype=dtype), torch.randint(0, 3, (32,))
    optimiser = make_optimiser(model.parameters())
    for _ in range(steps):
        optimiser.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimiser.step()
    return [p.detach().clone() for p in model.parameters()]


@pytest.mark.parametrize("dtype, tol", [(torch.float64, 1e-14), (torch.float32, 1e-6)])
def test_same_parameters_as_torch_adam(dtype, tol):
    ours = trajectory(lambda p: Adam(p, lr=0.003), dtype)
    theirs = trajectory(lambda p: torch.optim.Adam(p, lr=0.003, foreach=False), dtype)
    for a, b in zip(ours, theirs):
        assert torch.allclose(a, b, rtol=0, atol=tol)
    assert not all(torch.equal(a, b) for a, b in zip(ours, trajectory(lambda p: Adam(p, lr=0.03), dtype)))


def test_does_not_import_dynamo():
    code = ("import sys, torch\nfrom faqnas.evaluation.adam import Adam\n"
            "p = torch.nn.Parameter(torch.ones(2)); o = Adam([p], lr=0.1)\n"
            "p.sum().backward(); o.step()\nprint('torch._dynamo' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
