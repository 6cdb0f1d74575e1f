"""HQNN, the classical baseline, parameter counts and FLOP counts."""

import subprocess
import sys

import pytest
import torch

from faqnas.evaluation.flops import analytic_quantum_flops, profile_flops
from faqnas.evaluation.model import HQNN, ClassicalBaseline, param_counts
from faqnas.search.space import Genome

D, C = 64, 10


def genome(n=3, layers=2, embedding="angle", entangler="CZ", rotations=("RX", "RY", "RZ", "RX")):
    return Genome(n, embedding, rotations, entangler, "circular", layers)


@pytest.mark.parametrize("backend", ["simulator", "pennylane"])
def test_hqnn_outputs_log_probabilities(backend):
    torch.manual_seed(0)
    model = HQNN(genome(), D, C, backend=backend)
    out = model(torch.randn(5, D))
    assert out.shape == (5, C)
    assert torch.allclose(out.exp().sum(-1), torch.ones(5), atol=1e-5)
    assert model.pre.out_features == 3 and model.post.in_features == 3


def test_backends_compute_the_same_function():
    g = genome(n=4, layers=3, embedding="amplitude", entangler="CNOT")
    torch.manual_seed(1)
    simulated = HQNN(g, D, C, backend="simulator", dtype=torch.float64)
    reference = HQNN(g, D, C, backend="pennylane", dtype=torch.float64)
    reference.load_state_dict(simulated.state_dict())
    x = torch.randn(7, D, dtype=torch.float64)
    assert torch.allclose(simulated(x), reference(x), atol=1e-10)


@pytest.mark.parametrize("n, layers", [(2, 1), (5, 3), (10, 4)])
def test_param_counts_match_hand_formula(n, layers):
    counts = param_counts(HQNN(genome(n, layers), D, C))
    classical = D * n + n + n * C + C
    assert counts == {
        "total": classical + layers * n,
        "classical": classical,
        "quantum": layers * n,
    }
    assert param_counts(ClassicalBaseline(D, n, C)) == {
        "total": classical,
        "classical": classical,
        "quantum": 0,
    }


def test_simulator_backend_does_not_import_pennylane():
    code = (
        "import sys, torch\n"
        "from faqnas.evaluation.model import HQNN\n"
        "from faqnas.search.space import Genome\n"
        "g = Genome(3, 'angle', ('RX', 'RY', 'RZ', 'RX'), 'CZ', 'linear', 2)\n"
        "HQNN(g, 8, 2)(torch.randn(4, 8)).sum().backward()\n"
        "assert 'pennylane' not in sys.modules, 'pennylane was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _linear_flops(n):
    # One sample: forward 2·d·n + 2·n·C; backward: weight gradients of both
    # layers (2·d·n, 2·n·C) and the input gradient of the second (2·n·C); the
    # first layer's input needs none.
    return 4 * D * n + 6 * n * C


def test_profiled_classical_flops_match_linear_layers():
    for n in (2, 5):
        flops = profile_flops(genome(n), D, C)
        assert flops["classical"] == _linear_flops(n)
        assert flops["total"] == flops["classical"] + flops["quantum"]


def test_profiled_quantum_flops_grow_and_are_deterministic():
    by_qubits = [profile_flops(genome(n, 2), D, C)["quantum"] for n in (2, 4, 6)]
    by_layers = [profile_flops(genome(4, layers), D, C)["quantum"] for layers in (1, 2, 4)]
    assert 0 < by_qubits[0] < by_qubits[1] < by_qubits[2]
    assert 0 < by_layers[0] < by_layers[1] < by_layers[2]
    assert profile_flops(genome(4, 2), D, C) == profile_flops(genome(4, 2), D, C)


def test_analytic_flops_hand_worked_cases():
    # 2 qubits, N = 4 amplitudes. Angle, RX, CNOT: embedding 2 RY gates
    # 2·14·4 = 112, RX layer 112, CNOT 0, measurement (3 + 2)·4 = 20;
    # forward 244, forward + backward 3·244.
    assert analytic_quantum_flops(Genome(2, "angle", ("RX",) * 4, "CNOT", "linear", 1)) == 732
    # Amplitude, RZ, CZ: embedding 3·2 + 1 = 7, RZ layer 2·6·4 = 48, one CZ
    # pair 4/2 = 2, measurement 20; forward 77.
    assert analytic_quantum_flops(Genome(2, "amplitude", ("RZ",) * 4, "CZ", "linear", 1)) == 231


def test_analytic_flops_grow_with_qubits_and_layers():
    by_qubits = [analytic_quantum_flops(genome(n, 2)) for n in range(2, 11)]
    by_layers = [analytic_quantum_flops(genome(6, layers)) for layers in range(1, 5)]
    assert all(a < b for a, b in zip(by_qubits, by_qubits[1:]))
    assert all(a < b for a, b in zip(by_layers, by_layers[1:]))
