"""The hybrid quantum neural network of a genome (paper Sec. II-C, Fig. 1).

``HQNN``: Linear(d -> n_qubits) -> quantum layer -> Linear(n_qubits -> C)
-> log-softmax, trained with an NLL loss. The quantum layer is either the
fast torch simulator (``backend="simulator"``, the training default) or
PennyLane's ``TorchLayer`` on ``default.qubit`` (``backend="pennylane"``,
the reference that FLOPs are profiled on). Both compute the same function.

``ClassicalBaseline`` is the same network without the quantum layer (the
paper's F_Classical baseline). PennyLane is imported only on the pennylane
path: it costs seconds per job otherwise.
"""

from __future__ import annotations

import torch
from torch import nn

from faqnas.evaluation.simulator import QuantumLayer
from faqnas.search.space import Genome

BACKENDS = ("simulator", "pennylane")


def quantum_layer(genome: Genome, backend: str, dtype: torch.dtype) -> nn.Module:
    if backend == "simulator":
        return QuantumLayer(genome, dtype=dtype)
    if backend == "pennylane":
        from faqnas.evaluation.circuits import torch_layer

        return torch_layer(genome).to(dtype)
    raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")


class HQNN(nn.Module):
    """Linear(d -> n_qubits) -> quantum layer -> Linear(n_qubits -> classes) -> log-softmax."""

    def __init__(
        self,
        genome: Genome,
        n_features: int,
        n_classes: int,
        backend: str = "simulator",
        dtype: torch.dtype = torch.float32,
    ):
        super().__init__()
        self.genome, self.backend = genome, backend
        self.pre = nn.Linear(n_features, genome.n_qubits, dtype=dtype)
        self.quantum = quantum_layer(genome, backend, dtype)
        self.post = nn.Linear(genome.n_qubits, n_classes, dtype=dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.log_softmax(self.post(self.quantum(self.pre(x))), dim=-1)


class ClassicalBaseline(nn.Module):
    """HQNN's two Linear layers with nothing in between (F_Classical)."""

    def __init__(
        self, n_features: int, n_qubits: int, n_classes: int, dtype: torch.dtype = torch.float32
    ):
        super().__init__()
        self.pre = nn.Linear(n_features, n_qubits, dtype=dtype)
        self.post = nn.Linear(n_qubits, n_classes, dtype=dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.log_softmax(self.post(self.pre(x)), dim=-1)


def param_counts(model: nn.Module) -> dict[str, int]:
    """Trainable parameters: total, in the quantum layer, and the rest (classical)."""
    total = sum(p.numel() for p in model.parameters() if p.requires_grad)
    quantum_module = getattr(model, "quantum", None)
    quantum = (
        sum(p.numel() for p in quantum_module.parameters() if p.requires_grad)
        if quantum_module is not None
        else 0
    )
    return {"total": total, "classical": total - quantum, "quantum": quantum}
