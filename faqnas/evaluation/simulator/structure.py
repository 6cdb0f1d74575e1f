"""What every simulation strategy shares: constant gate matrices, basis-state
bit tables, entangling rounds as permutations or signs, Kronecker products,
and a module base class whose constant tensors follow ``.to(device/dtype)``.

See `faqnas.evaluation.simulator` for the strategies and their conventions.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import torch
from faqnas.evaluation.circuits import entangler_pairs
from faqnas.search.space import Genome
from torch import nn

COMPLEX = {torch.float32: torch.complex64, torch.float64: torch.complex128}

PAULI = {
    "RX": torch.tensor([[0, 1], [1, 0]], dtype=torch.complex128),
    "RY": torch.tensor([[0, -1j], [1j, 0]], dtype=torch.complex128),
    "RZ": torch.tensor([[1, 0], [0, -1]], dtype=torch.complex128),
}
HADAMARD = torch.tensor([[1, 1], [1, -1]], dtype=torch.complex128) / math.sqrt(2)
# W_P with P = W_P Z W_P^†: the basis in which R_P is diagonal.
BASIS_CHANGE = {
    "RX": HADAMARD,
    "RY": torch.tensor([[1, 0], [0, 1j]], dtype=torch.complex128) @ HADAMARD,
    "RZ": torch.eye(2, dtype=torch.complex128),
}



def basis_bits(n_qubits: int) -> torch.Tensor:
    """(2^n, n) int64: bit of wire w in basis state j (wire 0 most significant)."""
    shifts = torch.arange(n_qubits - 1, -1, -1)
    return (torch.arange(2**n_qubits)[:, None] >> shifts) & 1


def z_signs(n_qubits: int) -> torch.Tensor:
    """(2^n, n) float64: eigenvalue z_w(j) = ±1 of Z on wire w in basis state j."""
    return 1.0 - 2.0 * basis_bits(n_qubits).double()


def entangling_round(genome: Genome) -> tuple[str, torch.Tensor]:
    """One round of entanglers as ``("perm", π)`` with ``ψ'_j = ψ_π(j)`` (CNOT)
    or ``("sign", s)`` with ``ψ'_j = s_j ψ_j`` (CZ)."""
    n = genome.n_qubits
    bits = basis_bits(n)
    index = torch.arange(2**n)
    if genome.entangler == "CNOT":
        perm = index.clone()
        for control, target in entangler_pairs(n, genome.topology):
            # A CNOT permutes basis states and is its own inverse.
            flipped = index ^ (bits[:, control] << (n - 1 - target))
            perm = perm[flipped]
        return "perm", perm
    if genome.entangler == "CZ":
        sign = torch.ones(2**n, dtype=torch.float64)
        for a, b in entangler_pairs(n, genome.topology):
            sign = sign * (1 - 2 * (bits[:, a] & bits[:, b]))
        return "sign", sign
    raise ValueError(f"unknown entangler {genome.entangler!r}")


def folded_z_signs(genome: Genome, rounds: int) -> torch.Tensor:
    """(2^n, n) measurement signs seen through the last ``rounds`` entangling rounds.

    CZ rounds are diagonal and leave probabilities alone. A CNOT round
    permutes them: if ψ_j = X_π(j), then Σ_j |ψ_j|² z(j) = Σ_k |X_k|² z(π⁻¹(k)).
    """
    z = z_signs(genome.n_qubits)
    kind, action = entangling_round(genome)
    if kind == "sign":
        return z
    tail = torch.arange(len(z))
    for _ in range(rounds):
        tail = tail[action]
    return z[torch.argsort(tail)]


def kron_matrices(mats: torch.Tensor) -> torch.Tensor:
    """(..., k, a, b) -> (..., a^k, b^k): Kronecker product over the k axis."""
    out = mats[..., 0, :, :]
    for j in range(1, mats.shape[-3]):
        m = mats[..., j, :, :]
        rows, cols = out.shape[-2] * m.shape[-2], out.shape[-1] * m.shape[-1]
        out = (out[..., :, None, :, None] * m[..., None, :, None, :]).reshape(
            *out.shape[:-2], rows, cols
        )
    return out


def kron_vectors(wires: torch.Tensor, halves: list[torch.Tensor]) -> torch.Tensor:
    """(N, n, 2) -> (N, 2^n) product states, first wire most significant.

    ``halves`` are the bit tables (h, 2^h) of up to two consecutive wire
    ranges. Each half is one gather and one product; the halves join in one
    batched outer product. Few large ops instead of n-1 small ones, whose
    broadcast products would also backpropagate through slow reductions.
    """
    parts, first = [], 0
    for bits in halves:
        count = bits.shape[0]
        block = wires[:, first : first + count]
        index = bits.expand(wires.shape[0], *bits.shape)
        parts.append(torch.gather(block, 2, index).prod(1))
        first += count
    if len(parts) == 1:
        return parts[0]
    high, low = parts
    return torch.bmm(high[:, :, None], low[:, None, :]).reshape(wires.shape[0], -1)


def halves(n_qubits: int) -> list[torch.Tensor]:
    """Bit tables for `kron_vectors`: one range up to 5 wires, else two."""
    sizes = [n_qubits] if n_qubits <= 5 else [n_qubits // 2, n_qubits - n_qubits // 2]
    return [basis_bits(h).T.contiguous() for h in sizes]


def entangler_matrix(genome: Genome) -> torch.Tensor:
    kind, action = entangling_round(genome)
    eye = torch.eye(2**genome.n_qubits, dtype=torch.complex128)
    return eye[action] if kind == "perm" else torch.diag(action.to(torch.complex128))


def check_genome(genome: Genome) -> None:
    for gate in genome.active_rotations:
        if gate not in PAULI:
            raise ValueError(f"unknown rotation gate {gate!r}")
    if genome.embedding not in ("angle", "amplitude"):
        raise ValueError(f"unknown embedding {genome.embedding!r}")


class Constants(nn.Module):
    """Constant tensors as buffers that follow ``.to(device/dtype)``, read via ``.k``.

    Complex constants are stored as real views: ``Module.to(float64)`` would
    otherwise drop their imaginary parts. ``.k`` caches plain attributes
    (complex views restored) because module attribute lookups cost as much
    as a small kernel here.
    """

    def __init__(self):
        super().__init__()
        self._complex_names: set[str] = set()
        self._k = None

    def _real(self, name: str, value: torch.Tensor, dtype: torch.dtype) -> None:
        self.register_buffer(name, value.to(dtype).contiguous(), persistent=False)

    def _complex(self, name: str, value: torch.Tensor, dtype: torch.dtype) -> None:
        value = value.to(COMPLEX[dtype]).resolve_conj().contiguous()
        self.register_buffer(name, torch.view_as_real(value), persistent=False)
        self._complex_names.add(name)

    def _apply(self, fn, recurse=True):
        self._k = None
        return super()._apply(fn, recurse)

    @property
    def k(self) -> SimpleNamespace:
        if self._k is None:
            self._k = SimpleNamespace(
                **{
                    name: torch.view_as_complex(b) if name in self._complex_names else b
                    for name, b in self._buffers.items()
                }
            )
        return self._k


def normalised(x: torch.Tensor) -> torch.Tensor:
    return x / torch.linalg.vector_norm(x, dim=-1, keepdim=True)


def interleaved(psi: torch.Tensor) -> torch.Tensor:
    """Complex (B, N) as real (B, 2N): Re and Im of each amplitude side by side."""
    return torch.view_as_real(psi).reshape(psi.shape[0], -1)


def layer_matrices(genome: Genome) -> tuple[dict, list[torch.Tensor]]:
    """Basis changes W_P^{⊗n} (RY always, for the angle embedding) and the
    constants C_1..C_L between and after the phase layers (module docstring)."""
    gates = genome.active_rotations
    basis = {
        g: kron_matrices(BASIS_CHANGE[g].expand(genome.n_qubits, 2, 2))
        for g in set(gates) | {"RY"}
    }
    entangle = entangler_matrix(genome)
    rest = [basis[nxt].mH @ entangle @ basis[cur] for cur, nxt in zip(gates, gates[1:])]
    rest.append(entangle @ basis[gates[-1]])
    return basis, rest

