"""The quantum layer: a genome's circuit as a torch module, on the compiled
kernel where it loads, else on the torch strategy chosen by circuit size
(see `faqnas.evaluation.simulator`)."""

from __future__ import annotations

import math

import torch
from faqnas.evaluation.simulator.dense import DENSE_MAX_QUBITS, DenseCircuit
from faqnas.evaluation.simulator.native import NativeCircuit, available
from faqnas.evaluation.simulator.product import ProductCircuit, is_product_circuit
from faqnas.evaluation.simulator.statevector import StateVectorCircuit
from faqnas.evaluation.simulator.structure import COMPLEX
from faqnas.evaluation.simulator.trig import (
    TRIG_MAX_CONSTANTS,
    TrigCircuit,
    trig_constants,
)
from faqnas.search.space import Genome
from torch import nn


def torch_strategy(genome: Genome) -> str:
    """The fastest torch-only strategy for ``genome``, by circuit size (measured)."""
    if trig_constants(genome) <= TRIG_MAX_CONSTANTS:
        return "trig"
    if is_product_circuit(genome):
        return "product"
    return "dense" if genome.n_qubits <= DENSE_MAX_QUBITS[genome.embedding] else "statevector"


def choose_strategy(genome: Genome) -> str:
    """``native`` where faqnas' kernels load (it needs no set-up: the trig
    strategy's coefficients take 0.1-0.5 s to build), else `torch_strategy`."""
    return "native" if available() else torch_strategy(genome)


_STRATEGIES = {
    "trig": TrigCircuit,
    "product": ProductCircuit,
    "native": NativeCircuit,
    "dense": DenseCircuit,
    "statevector": StateVectorCircuit,
}


class QuantumLayer(nn.Module):
    """The genome's circuit as a torch layer: (B, n_qubits) -> (B, n_qubits) of <Z_w>.

    ``weights`` has shape (n_layers, n_qubits), initialised uniformly in
    [0, 2π) like ``qml.qnn.TorchLayer``. ``strategy`` overrides the choice
    by circuit size (for tests and benchmarks).
    """

    def __init__(
        self, genome: Genome, dtype: torch.dtype = torch.float32, strategy: str | None = None
    ):
        super().__init__()
        if dtype not in COMPLEX:
            raise ValueError(f"dtype must be torch.float32 or torch.float64, got {dtype}")
        self.genome = genome
        self.strategy = strategy or choose_strategy(genome)
        self.weights = nn.Parameter(torch.empty(genome.n_layers, genome.n_qubits, dtype=dtype))
        nn.init.uniform_(self.weights, b=2 * math.pi)
        if self.strategy == "native":
            fallback = _STRATEGIES[torch_strategy(genome)]
            self.circuit = NativeCircuit(genome, dtype, fallback)
        else:
            self.circuit = _STRATEGIES[self.strategy](genome, dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 2:
            return self.circuit(x, self.weights)
        flat = x.reshape(-1, self.genome.n_qubits)
        return self.circuit(flat, self.weights).reshape(x.shape)

    def extra_repr(self) -> str:
        return f"{self.genome.phenotype_key}, strategy={self.strategy}"

