"""The parameterised quantum circuit of a genome, as a PennyLane QNode.

This is the reference implementation: `faqnas.evaluation.simulator` must reproduce it
exactly, and `faqnas.evaluation.flops` profiles it (as the paper does). The circuit on
``n = genome.n_qubits`` wires, for an input vector ``x`` of length ``n``:

1. Embedding
   - ``angle``: ``RY(2 x_i)`` on wire ``i``, i.e. the product state
     ``⊗_i cos(x_i)|0> + sin(x_i)|1>`` of the paper's Eq. 1 (the factor 2
     turns PennyLane's half-angle convention into Eq. 1's full angle).
   - ``amplitude``: ``x`` zero-padded to length ``2^n`` and normalised
     (Eq. 2, ``qml.AmplitudeEmbedding(pad_with=0.0, normalize=True)``);
     wire 0 is the most significant qubit of the basis index.
2. For each layer ``l < n_layers``: the gate ``rotations[l]`` (RX, RY or RZ)
   on every wire ``w`` with angle ``weights[l, w]``, then one entangling
   round of ``entangler`` gates (CNOT with the first wire as control, or CZ)
   on the pairs of `entangler_pairs`.
3. Measurement: ``<Z_w>`` for every wire ``w``.

Topologies: ``linear`` couples (0,1), (1,2), ..., (n-2, n-1); ``circular``
adds the closing pair (n-1, 0) when n > 2. For n = 2 the closing pair would
repeat (0, 1) reversed, so circular equals linear there, as in PennyLane's
``ring`` pattern.

The trainable weights have shape ``(n_layers, n_qubits)`` and
``qml.qnn.TorchLayer``'s default initialisation, uniform in [0, 2π).

PennyLane is imported inside the builders only: the topology helper is used
by the simulator, whose users must not pay PennyLane's import time.
"""

from __future__ import annotations

from faqnas.search.space import Genome


def entangler_pairs(n_qubits: int, topology: str) -> list[tuple[int, int]]:
    """(control, target) wire pairs of one entangling round, in gate order."""
    if topology not in ("linear", "circular"):
        raise ValueError(f"unknown topology {topology!r}")
    pairs = [(w, w + 1) for w in range(n_qubits - 1)]
    if topology == "circular" and n_qubits > 2:
        pairs.append((n_qubits - 1, 0))
    return pairs


def weight_shapes(genome: Genome) -> dict[str, tuple[int, int]]:
    return {"weights": (genome.n_layers, genome.n_qubits)}


def make_qnode(genome: Genome, diff_method: str = "backprop"):
    """QNode ``circuit(inputs, weights)`` on ``default.qubit`` (torch interface).

    ``inputs`` may carry a leading batch dimension (PennyLane broadcasts).
    """
    import pennylane as qml

    n = genome.n_qubits
    wires = list(range(n))
    rotation = {"RX": qml.RX, "RY": qml.RY, "RZ": qml.RZ}
    entangler = {"CNOT": qml.CNOT, "CZ": qml.CZ}[genome.entangler]
    pairs = entangler_pairs(n, genome.topology)
    dev = qml.device("default.qubit", wires=n)

    @qml.qnode(dev, interface="torch", diff_method=diff_method)
    def circuit(inputs, weights):
        if genome.embedding == "angle":
            qml.AngleEmbedding(2 * inputs, wires=wires, rotation="Y")
        elif genome.embedding == "amplitude":
            qml.AmplitudeEmbedding(inputs, wires=wires, pad_with=0.0, normalize=True)
        else:
            raise ValueError(f"unknown embedding {genome.embedding!r}")
        for layer, gate in enumerate(genome.active_rotations):
            for w in wires:
                rotation[gate](weights[layer, w], wires=w)
            for pair in pairs:
                entangler(wires=list(pair))
        return [qml.expval(qml.PauliZ(w)) for w in wires]

    return circuit


def torch_layer(genome: Genome, diff_method: str = "backprop"):
    """The QNode wrapped as ``qml.qnn.TorchLayer`` (input (B, n) -> output (B, n))."""
    import pennylane as qml

    return qml.qnn.TorchLayer(make_qnode(genome, diff_method), weight_shapes(genome))


def _example_arguments(genome: Genome):
    import torch

    inputs = torch.linspace(0.1, 0.9, genome.n_qubits)
    weights = torch.linspace(0.2, 1.0, genome.n_layers * genome.n_qubits)
    return inputs, weights.reshape(genome.n_layers, genome.n_qubits)


def draw_text(genome: Genome) -> str:
    """ASCII drawing of the circuit (example inputs and weights, values hidden)."""
    import pennylane as qml

    drawer = qml.draw(make_qnode(genome), decimals=None, level="top", show_matrices=False)
    return drawer(*_example_arguments(genome))


def draw_figure(genome: Genome, path) -> None:
    """Save a matplotlib drawing of the circuit to ``path`` (format from suffix)."""
    import matplotlib.pyplot as plt
    import pennylane as qml

    drawer = qml.draw_mpl(make_qnode(genome), decimals=None, level="top")
    fig, _ = drawer(*_example_arguments(genome))
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
