"""Strategy ``statevector``: states evolved layer by layer, for the widest
circuits (see `faqnas.evaluation.simulator`)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import torch
from faqnas.evaluation.simulator.structure import (
    PAULI,
    Constants,
    basis_bits,
    check_genome,
    entangling_round,
    folded_z_signs,
    halves,
    interleaved,
    kron_matrices,
    kron_vectors,
    normalised,
    z_signs,
)
from faqnas.search.space import Genome

# Wires per Kronecker group in the statevector strategy: 2^k×2^k matmuls,
# larger groups mean fewer ops but 2^k/k more arithmetic per amplitude.
GROUP_SIZE = 4


def _groups(n_qubits: int, size: int) -> list[tuple[int, int]]:
    """Consecutive (first wire, count) groups of at most ``size`` wires, balanced."""
    count = math.ceil(n_qubits / size)
    bounds = [round(i * n_qubits / count) for i in range(count + 1)]
    return [(a, b - a) for a, b in zip(bounds, bounds[1:])]


class _Permute(torch.autograd.Function):
    """``x.index_select(dim, perm)`` whose backward gathers with the inverse
    permutation instead of index_select's zero-fill and scatter-add."""

    @staticmethod
    def forward(ctx, x, dim: int, perm: torch.Tensor, inverse: torch.Tensor):
        ctx.dim, ctx.inverse = dim, inverse
        return x.index_select(dim, perm)

    @staticmethod
    def backward(ctx, grad):
        return grad.index_select(ctx.dim, ctx.inverse), None, None, None


def _merge_diagonals(program):
    """Join runs of diagonal steps into one step holding all their factors."""
    merged = []
    for op, arg in program:
        if op == "diag" and merged and merged[-1][0] == "diag":
            merged[-1] = ("diag", merged[-1][1] + (arg,))
        else:
            merged.append((op, (arg,) if op == "diag" else arg))
    return merged


class StateVectorCircuit(Constants):
    """Evolves a batch of states layer by layer (see module docstring)."""

    def __init__(self, genome: Genome, dtype: torch.dtype, group_size: int = GROUP_SIZE):
        super().__init__()
        check_genome(genome)
        n, gates = genome.n_qubits, genome.active_rotations
        self.n_qubits, self.embedding = n, genome.embedding
        self.groups = _groups(n, group_size)
        self._complex(
            "minus_i_pauli", torch.stack([-1j * PAULI[g] for g in gates])[:, None], dtype
        )
        self._complex("eye2", torch.eye(2), dtype)
        z = z_signs(n)
        self._real("neg_half_z", -0.5 * z.T, dtype)
        self._real("one", torch.ones(()), dtype)
        # The first n basis states, as wire bits: the span of amplitude inputs.
        self.register_buffer("input_bits", basis_bits(n)[:n], persistent=False)
        self.register_buffer("wire_ids", torch.arange(n), persistent=False)
        tables = halves(n)
        for i, bits in enumerate(tables):
            self.register_buffer(f"half_bits{i}", bits, persistent=False)
        self.n_halves = len(tables)

        kind, action = entangling_round(genome)
        if kind == "perm":
            self.register_buffer("perm", action, persistent=False)
            self.register_buffer("perm_inverse", torch.argsort(action), persistent=False)
        else:
            self._real("sign", action, dtype)
        dense = [layer for layer in range(1, len(gates)) if gates[layer] != "RZ"]
        self.register_buffer(
            "dense_layers", torch.tensor(dense, dtype=torch.long), persistent=False
        )
        # Layer 0 acts on the product state. Then each entangling round and
        # the next layer, up to the last dense layer; what follows is
        # diagonal (no effect on probabilities) or a permutation (folded
        # into the signs of the measurement below).
        last_dense = max(dense, default=0)
        program = []
        for layer in range(1, last_dense + 1):
            program.append(("perm", None) if kind == "perm" else ("diag", None))
            if gates[layer] == "RZ":
                program.append(("diag", layer))
            else:
                program.append(("dense", dense.index(layer)))
        self.program = _merge_diagonals(program)
        # Each dense layer flips the layout; the angle batch must end
        # batch-major for the measurement (amplitude ends in a matmul anyway).
        self.start_batch_major = genome.embedding == "amplitude" or len(dense) % 2 == 0
        z_out = folded_z_signs(genome, len(gates) - last_dense)
        self._real("z2", z_out.repeat_interleave(2, dim=0), dtype)

    def forward(self, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        k = self.k
        half = 0.5 * weights[..., None, None]
        gates = torch.cos(half) * k.eye2 + torch.sin(half) * k.minus_i_pauli
        # Kronecker products of each wire group's gates, for all dense layers at once.
        group_mats = []
        if k.dense_layers.numel():
            dense_gates = gates.index_select(0, k.dense_layers)
            group_mats = [kron_matrices(dense_gates[:, a : a + c]) for a, c in self.groups]

        tables = [getattr(k, f"half_bits{i}") for i in range(self.n_halves)]
        state = kron_vectors(self._wire_states(x, gates[0]), tables)
        batch_major = self.start_batch_major
        if not batch_major:
            state = state.T
        for op, arg in self.program:
            if op == "perm":
                state = _Permute.apply(state, 1 if batch_major else 0, k.perm, k.perm_inverse)
            elif op == "diag":
                diag = self._diagonal(k, weights, arg)
                state = state * (diag if batch_major else diag[:, None])
            else:
                state = self._dense_layer(state, batch_major, [m[arg] for m in group_mats])
                batch_major = not batch_major
        if self.embedding == "angle":
            return interleaved(state).square() @ k.z2
        rows = interleaved(state if batch_major else state.T)
        return (normalised(x) @ rows).square() @ k.z2

    def _wire_states(self, x: torch.Tensor, first: torch.Tensor) -> torch.Tensor:
        """(N, n, 2): each wire's state after the first rotation layer."""
        if self.embedding == "angle":
            # RY(2x)|0> = (cos x, sin x) on each wire.
            wires = torch.stack((torch.cos(x), torch.sin(x)), dim=-1).to(first.dtype)
            return torch.einsum("wij,bwj->bwi", first, wires)
        # Basis state |j> picks column bit_w(j) of each wire's gate.
        return first.mT[self.k.wire_ids, self.k.input_bits]

    def _dense_layer(self, state: torch.Tensor, batch_major: bool, mats) -> torch.Tensor:
        """Apply the group matrices ``mats``; flips the layout.

        Batch-major (N, g_1..g_m): each matmul contracts the trailing group
        and moves it to the front, so after all groups the state is
        qubit-major (g_1..g_m, N); the other way round contracts the leading
        group and moves it to the back.
        """
        dim = 2**self.n_qubits
        if batch_major:
            for m in reversed(mats):
                state = m @ state.reshape(-1, m.shape[0]).T
            return state.reshape(dim, -1)
        for m in mats:
            state = state.reshape(m.shape[0], -1).T @ m.T
        return state.reshape(-1, dim)

    @staticmethod
    def _diagonal(k: SimpleNamespace, weights: torch.Tensor, parts: tuple) -> torch.Tensor:
        """Product of merged diagonal factors: CZ signs (None) and RZ layers (int)."""
        factors = [
            k.sign if part is None else torch.polar(k.one, weights[part] @ k.neg_half_z)
            for part in parts
        ]
        diag = factors[0]
        for factor in factors[1:]:
            diag = diag * factor
        return diag


