"""The torch simulator against the PennyLane reference (default.qubit)."""

import math

import pytest
import torch

from faqnas.evaluation.circuits import draw_figure, draw_text, entangler_pairs, make_qnode, torch_layer
from faqnas.evaluation.simulator import QuantumLayer, choose_strategy
from faqnas.evaluation.simulator.layer import torch_strategy
from faqnas.evaluation.simulator.dense import DENSE_MAX_QUBITS
from faqnas.evaluation.simulator.product import is_product_circuit
from faqnas.evaluation.simulator.trig import TRIG_MAX_CONSTANTS, trig_constants
from faqnas.search.space import TABLE_I, Genome

# Every gene value: each rotation slot takes RX, RY and RZ over the three
# 4-layer genomes; both embeddings (amplitude pads n -> 2^n); both entanglers
# and topologies; 2 and 10 qubits; 1 and 4 layers; the odd widths exercise
# uneven Kronecker groups and circular rings with a closing pair.
SAMPLE = [
    Genome(2, "angle", ("RX", "RY", "RZ", "RX"), "CNOT", "linear", 1),
    Genome(2, "amplitude", ("RY", "RZ", "RX", "RY"), "CZ", "circular", 4),
    Genome(10, "angle", ("RX", "RY", "RZ", "RX"), "CZ", "linear", 4),
    Genome(10, "amplitude", ("RZ", "RX", "RY", "RZ"), "CNOT", "circular", 1),
    Genome(3, "angle", ("RZ", "RX", "RY", "RZ"), "CNOT", "circular", 4),
    Genome(5, "amplitude", ("RY", "RX", "RZ", "RX"), "CZ", "linear", 2),
    Genome(7, "angle", ("RY", "RZ", "RX", "RZ"), "CZ", "circular", 3),
    Genome(9, "amplitude", ("RX", "RZ", "RZ", "RY"), "CNOT", "linear", 4),
    # Product-state circuits: parities through several CNOT rings, and CZ.
    Genome(6, "angle", ("RY", "RZ", "RZ", "RX"), "CNOT", "circular", 3),
    Genome(4, "angle", ("RZ", "RZ", "RZ", "RZ"), "CZ", "circular", 4),
    # Few weights (trigonometric polynomials): the most features and weights.
    Genome(4, "angle", ("RY", "RZ", "RX", "RY"), "CZ", "linear", 1),
    Genome(2, "angle", ("RY", "RX", "RZ", "RY"), "CNOT", "circular", 4),
    Genome(3, "amplitude", ("RZ", "RY", "RX", "RZ"), "CNOT", "circular", 2),
]
STRATEGIES = ["native", "dense", "statevector", "trig"]


def _applies(genome, strategy):
    # The composed unitary and the trigonometric polynomial are skipped where
    # they are never chosen (they would take seconds to build); the closed
    # form only exists for products.
    if strategy == "dense":
        return genome.n_qubits <= max(DENSE_MAX_QUBITS.values())
    if strategy == "trig":
        return trig_constants(genome) <= TRIG_MAX_CONSTANTS
    return strategy in ("native", "statevector") or is_product_circuit(genome)


CASES = [
    pytest.param(g, s, id=f"{g.phenotype_key}-{s}")
    for g in SAMPLE
    for s in [*STRATEGIES, "product"]
    if _applies(g, s)
]


def _reference(genome, x, weights):
    qnode = make_qnode(genome)
    return torch.stack(qnode(x, weights), dim=-1)


def _outputs_and_grads(fn, x, weights, cotangent):
    x = x.detach().clone().requires_grad_()
    weights = weights.detach().clone().requires_grad_()
    out = fn(x, weights)
    grads = torch.autograd.grad(out, (x, weights), cotangent)
    return (out, *grads)


def test_sample_covers_every_gene_value():
    covered = {key: set() for key in TABLE_I if key != "rotations"}
    slots = [set() for _ in range(4)]
    for g in SAMPLE:
        for key in covered:
            covered[key].add(getattr(g, key))
        for slot, gate in enumerate(g.active_rotations):
            slots[slot].add(gate)
    for key in ("embedding", "entangler", "topology"):
        assert covered[key] == set(TABLE_I[key])
    assert {2, 10} <= covered["n_qubits"] and {1, 4} <= covered["n_layers"]
    assert all(slot == {"RX", "RY", "RZ"} for slot in slots)


@pytest.mark.parametrize("genome, strategy", CASES)
def test_matches_pennylane_in_float64(genome, strategy):
    torch.manual_seed(1)
    layer = QuantumLayer(genome, dtype=torch.float64, strategy=strategy)
    x = torch.randn(4, genome.n_qubits, dtype=torch.float64)
    cotangent = torch.randn(4, genome.n_qubits, dtype=torch.float64)
    ours = _outputs_and_grads(layer.circuit, x, layer.weights, cotangent)
    reference = _outputs_and_grads(
        lambda a, w: _reference(genome, a, w), x, layer.weights, cotangent
    )
    for name, a, b in zip(("outputs", "d/dx", "d/dweights"), ours, reference):
        assert torch.allclose(a, b, rtol=0, atol=1e-10), f"{name}: {(a - b).abs().max():.2e}"


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_float32_close_to_float64(strategy):
    genome = SAMPLE[4] if _applies(SAMPLE[4], strategy) else SAMPLE[1]
    torch.manual_seed(2)
    layer64 = QuantumLayer(genome, dtype=torch.float64, strategy=strategy)
    layer32 = QuantumLayer(genome, dtype=torch.float32, strategy=strategy)
    layer32.load_state_dict(layer64.state_dict())
    x = torch.randn(8, genome.n_qubits, dtype=torch.float64)
    out32 = layer32(x.float())
    assert out32.dtype == torch.float32
    assert torch.allclose(out32.double(), layer64(x), atol=1e-5)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_dtype_conversion_keeps_complex_constants(strategy):
    # Module.to(float64) must not drop imaginary parts of constants.
    genome = SAMPLE[1]
    torch.manual_seed(3)
    converted = QuantumLayer(genome, dtype=torch.float32, strategy=strategy).to(torch.float64)
    native = QuantumLayer(genome, dtype=torch.float64, strategy=strategy)
    native.load_state_dict(converted.state_dict())
    x = torch.randn(5, 2, dtype=torch.float64)
    assert torch.allclose(converted(x), native(x), atol=1e-12)


@pytest.mark.parametrize("genome", [SAMPLE[1], SAMPLE[4]], ids=lambda g: g.embedding)
def test_weight_gradients_without_input_gradients(genome):
    torch.manual_seed(6)
    layer = QuantumLayer(genome, dtype=torch.float64)
    x = torch.randn(3, genome.n_qubits, dtype=torch.float64)
    cotangent = torch.randn(3, genome.n_qubits, dtype=torch.float64)
    (alone,) = torch.autograd.grad(layer(x), layer.weights, cotangent)
    _, _, both = _outputs_and_grads(layer.circuit, x, layer.weights, cotangent)
    assert torch.allclose(alone, both, atol=1e-12)


def test_shapes_initialisation_and_unbatched_input():
    genome = Genome(3, "angle", ("RX", "RY", "RZ", "RX"), "CNOT", "linear", 2)
    torch.manual_seed(4)
    layer = QuantumLayer(genome)
    assert layer.weights.shape == (2, 3) and layer.weights.dtype == torch.float32
    assert 0 <= layer.weights.min() and layer.weights.max() < 2 * math.pi
    x = torch.randn(6, 3)
    assert layer(x).shape == (6, 3)
    assert torch.allclose(layer(x[0]), layer(x)[0], atol=1e-6)


def test_torch_layer_matches_simulator_layer():
    genome = SAMPLE[4]
    reference = torch_layer(genome).double()
    assert reference.weights.shape == (genome.n_layers, genome.n_qubits)
    layer = QuantumLayer(genome, dtype=torch.float64)
    layer.load_state_dict(reference.state_dict())
    x = torch.randn(3, genome.n_qubits, dtype=torch.float64)
    assert torch.allclose(layer(x), reference(x), atol=1e-10)


def test_strategy_choice_follows_thresholds():
    # The compiled kernel wherever it loads (it does here), ...
    assert all(choose_strategy(g) == "native" for g in SAMPLE)
    # ... else the torch strategies by size. 3^8 weight features x 3
    # quadratic features x 2 wires fit; 4 layers of 3 qubits (3^12 x 6 x 3) do not.
    assert torch_strategy(SAMPLE[1]) == "trig"
    assert trig_constants(SAMPLE[1]) <= TRIG_MAX_CONSTANTS
    deep = Genome(3, "amplitude", ("RX",) * 4, "CZ", "linear", 4)
    assert trig_constants(deep) > TRIG_MAX_CONSTANTS and torch_strategy(deep) == "dense"
    for embedding, widest in DENSE_MAX_QUBITS.items():
        narrow = Genome(widest, embedding, ("RX",) * 4, "CZ", "linear", 2)
        wide = Genome(widest + 1, embedding, ("RX",) * 4, "CZ", "linear", 2)
        assert torch_strategy(narrow) == "dense"
        assert torch_strategy(wide) == "statevector"
    for n in (2, 10):
        assert torch_strategy(
            Genome(n, "angle", ("RX", "RZ", "RZ", "RY"), "CNOT", "linear", 3)
        ) == ("trig" if n == 2 else "product")
        assert torch_strategy(
            Genome(n, "angle", ("RX", "RZ", "RZ", "RY"), "CNOT", "linear", 4)
        ) not in ("product",)
        assert torch_strategy(Genome(n, "amplitude", ("RX",) * 4, "CNOT", "linear", 1)) != "product"


def test_entangler_pairs():
    assert entangler_pairs(4, "linear") == [(0, 1), (1, 2), (2, 3)]
    assert entangler_pairs(4, "circular") == [(0, 1), (1, 2), (2, 3), (3, 0)]
    assert entangler_pairs(2, "circular") == entangler_pairs(2, "linear") == [(0, 1)]
    with pytest.raises(ValueError):
        entangler_pairs(3, "star")


def test_drawings(tmp_path):
    genome = Genome(3, "amplitude", ("RX", "RY", "RZ", "RX"), "CZ", "circular", 2)
    text = draw_text(genome)
    assert text.count("RX") == 3 and text.count("RY") == 3 and "RZ" not in text
    path = tmp_path / "circuit.png"
    draw_figure(genome, path)
    assert path.stat().st_size > 1000
