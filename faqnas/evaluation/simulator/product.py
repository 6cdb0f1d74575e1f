"""Strategy ``product``: circuits whose state after the first layer stays a
product state, in closed form (see `faqnas.evaluation.simulator`)."""

from __future__ import annotations

import torch
from faqnas.evaluation.simulator.structure import (
    Constants,
    check_genome,
    folded_z_signs,
)
from faqnas.search.space import Genome

# <Z> of R_P(θ) RY(2x)|0> is ½[cos(2x + aθ) + cos(2x + bθ)] with these (a, b):
# RX gives cos θ cos 2x, RY cos(2x + θ), RZ cos 2x (Bloch-sphere rotations).
_WIRE_Z_ANGLES = {"RX": (1.0, -1.0), "RY": (1.0, 1.0), "RZ": (0.0, 0.0)}


def is_product_circuit(genome: Genome) -> bool:
    """Angle embedding and no dense rotation layer after the first."""
    return genome.embedding == "angle" and all(g == "RZ" for g in genome.active_rotations[1:])


class ProductCircuit(Constants):
    """Circuits of `is_product_circuit`, in closed form.

    After the embedding and the first rotation layer the state is a product
    state. Everything after it is diagonal (RZ layers, CZ rounds: no effect
    on probabilities) or CNOT permutations, and a CNOT network maps each
    Z_w to a parity Π_{v∈S_w} Z_v. So <Z_w> = Π_{v∈S_w} <Z_v> of the single
    wires: n² work instead of 2^n.
    """

    def __init__(self, genome: Genome, dtype: torch.dtype):
        super().__init__()
        check_genome(genome)
        if not is_product_circuit(genome):
            raise ValueError(f"{genome.phenotype_key} is not a product-state circuit")
        n = genome.n_qubits
        z = folded_z_signs(genome, genome.n_layers)
        # S_w: the wires whose flip alone (basis state 2^(n-1-v)) flips z_w.
        lone_flips = z[2 ** torch.arange(n - 1, -1, -1)]
        self.register_buffer("parity_wires", (lone_flips < 0).T.contiguous(), persistent=False)
        self._real("angle_signs", torch.tensor(_WIRE_Z_ANGLES[genome.rotations[0]]), dtype)
        self._real("one", torch.ones(()), dtype)

    def forward(self, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        k = self.k
        angles = torch.addcmul((2 * x)[..., None], weights[0][:, None], k.angle_signs)
        wire_z = torch.cos(angles).mean(-1)
        return torch.where(k.parity_wires, wire_z[:, None, :], k.one).prod(-1)


