"""Fast batched statevector simulation of a genome's circuit in plain torch.

It computes exactly the circuit of `faqnas.circuits` (embedding, rotation
layers, entangling rounds, <Z_w> on every wire; see that module) with
gradients for inputs and weights, on CPU and CUDA, in float32 (complex64
states) or float64 (complex128 states). Wire 0 is the most significant bit
of a basis index, as in PennyLane; ``z_w(j) = ±1`` is the eigenvalue of Z on
wire w in basis state j.

A search trains thousands of tiny circuits, so kernel launches per step
matter as much as arithmetic. Four strategies, chosen by `choose_strategy`
from measurements (`TRIG_MAX_CONSTANTS`, `DENSE_MAX_QUBITS`,
bench/bench_training_step.py):

``trig`` (few weights: 2 qubits up to 4 layers, 3 qubits up to 2, 4 qubits
    with 1, amplitude up to 6 qubits with 1): ``<Z_w>`` is a trigonometric
    polynomial in the weights and, for the angle embedding, in the inputs,
    with coefficients found once (`TrigCircuit`). A step is a handful of
    real matmuls and cosines whose backward torch runs in C++, with no
    complex numbers and no Python in the backward.

``product`` (otherwise, angle embedding, every rotation layer after the first is RZ):
    the state after the first layer is a product state and the rest of the
    circuit cannot change <Z> except by permuting it, so <Z_w> is a product
    of single-wire expectations in closed form (`ProductCircuit`).

``dense`` (otherwise, angle up to 6 qubits, amplitude up to 8): every
    rotation layer is a phase layer in a rotated basis,
    ``R_P(θ)^{⊗n} = W_P^{⊗n} D(θ) W_P^{⊗n†}``
    with ``D(θ) = diag(exp(-i/2 Σ_w θ_w z_w))``, ``W_X = H``, ``W_Y = S·H``,
    ``W_Z = I``. Basis changes, entangling rounds and the embedding's
    constant parts merge into constant matrices ``C_l``, so the circuit is
    ``U = C_L D_L C_{L-1} ⋯ D_1 C_0`` and only the L phase vectors depend on
    the weights. The angle embedding is itself an RY layer with angles 2x,
    i.e. the input phase vector ``exp(-i Σ_w x_w z_w)``; the amplitude
    embedding's state lies in the span of the first n basis states, so only
    those n rows of ``Uᵀ`` are formed. Per step: the image of the input span
    is composed once (independent of the batch), then one matmul per batch,
    with a hand-written backward (`_DenseFunction`).

``statevector`` (wider circuits): states are evolved layer by layer. The
    first rotation layer acts wire by wire on the product state, before the
    Kronecker product. A dense rotation layer (RX, RY) is applied as
    Kronecker products over groups of up to `GROUP_SIZE` wires, one matmul
    per group; each matmul also rotates the tensor's axes by one group, so no
    transposing copies are needed (layouts alternate between batch-major and
    qubit-major). RZ layers and CZ rounds are diagonal (phase vectors,
    merged when adjacent), a CNOT round is one permutation. Diagonals after
    the last dense layer cannot change probabilities and are skipped;
    permutations there are folded into the measurement's signs. For the
    amplitude embedding the evolved states are the n basis states the input
    spans, whatever the batch size.

In the last two, ``<Z_w> = Σ_j |ψ_j|² z_w(j)`` is one matmul of the squared
real and imaginary parts with a constant sign matrix.

Use float32 for training: about twice as fast as float64 on the widest
circuits, equal on small ones, with errors (~1e-6) far below training noise.
float64 matches PennyLane's ``default.qubit`` to ~1e-13 (the tests' bound
is 1e-10).
"""

from __future__ import annotations

import itertools
import math
from types import SimpleNamespace

import torch
from torch import nn
from torch.autograd.function import once_differentiable

from faqnas.circuits import entangler_pairs
from faqnas.space import Genome

# Widest circuits for the composed-unitary strategy, measured on a 2-core
# EPYC (batch 64, 1 thread, float32): its cost grows as rows × 4^n per layer,
# with 2^n rows for the angle embedding but only n for the amplitude one.
DENSE_MAX_QUBITS = {"angle": 6, "amplitude": 8}
# Largest coefficient matrix of the trigonometric strategy (`trig_constants`),
# measured like DENSE_MAX_QUBITS: beyond it, its one big matmul per step (and
# its construction) costs more than the other strategies' smaller ops.
TRIG_MAX_CONSTANTS = 2**18
# Wires per Kronecker group in the statevector strategy: 2^k×2^k matmuls,
# larger groups mean fewer ops but 2^k/k more arithmetic per amplitude.
GROUP_SIZE = 4

_COMPLEX = {torch.float32: torch.complex64, torch.float64: torch.complex128}

_PAULI = {
    "RX": torch.tensor([[0, 1], [1, 0]], dtype=torch.complex128),
    "RY": torch.tensor([[0, -1j], [1j, 0]], dtype=torch.complex128),
    "RZ": torch.tensor([[1, 0], [0, -1]], dtype=torch.complex128),
}
_H = torch.tensor([[1, 1], [1, -1]], dtype=torch.complex128) / math.sqrt(2)
# W_P with P = W_P Z W_P^†: the basis in which R_P is diagonal.
_BASIS_CHANGE = {
    "RX": _H,
    "RY": torch.tensor([[1, 0], [0, 1j]], dtype=torch.complex128) @ _H,
    "RZ": torch.eye(2, dtype=torch.complex128),
}


# -- constant structure of a circuit ----------------------------------------
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


def _kron_matrices(mats: torch.Tensor) -> torch.Tensor:
    """(..., k, a, b) -> (..., a^k, b^k): Kronecker product over the k axis."""
    out = mats[..., 0, :, :]
    for j in range(1, mats.shape[-3]):
        m = mats[..., j, :, :]
        rows, cols = out.shape[-2] * m.shape[-2], out.shape[-1] * m.shape[-1]
        out = (out[..., :, None, :, None] * m[..., None, :, None, :]).reshape(
            *out.shape[:-2], rows, cols
        )
    return out


def _kron_vectors(wires: torch.Tensor, halves: list[torch.Tensor]) -> torch.Tensor:
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


def _halves(n_qubits: int) -> list[torch.Tensor]:
    """Bit tables for `_kron_vectors`: one range up to 5 wires, else two."""
    sizes = [n_qubits] if n_qubits <= 5 else [n_qubits // 2, n_qubits - n_qubits // 2]
    return [basis_bits(h).T.contiguous() for h in sizes]


def _entangler_matrix(genome: Genome) -> torch.Tensor:
    kind, action = entangling_round(genome)
    eye = torch.eye(2**genome.n_qubits, dtype=torch.complex128)
    return eye[action] if kind == "perm" else torch.diag(action.to(torch.complex128))


def _check(genome: Genome) -> None:
    for gate in genome.active_rotations:
        if gate not in _PAULI:
            raise ValueError(f"unknown rotation gate {gate!r}")
    if genome.embedding not in ("angle", "amplitude"):
        raise ValueError(f"unknown embedding {genome.embedding!r}")


class _Constants(nn.Module):
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
        value = value.to(_COMPLEX[dtype]).resolve_conj().contiguous()
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


def _normalised(x: torch.Tensor) -> torch.Tensor:
    return x / torch.linalg.vector_norm(x, dim=-1, keepdim=True)


def _interleaved(psi: torch.Tensor) -> torch.Tensor:
    """Complex (B, N) as real (B, 2N): Re and Im of each amplitude side by side."""
    return torch.view_as_real(psi).reshape(psi.shape[0], -1)


def _layer_matrices(genome: Genome) -> tuple[dict, list[torch.Tensor]]:
    """Basis changes W_P^{⊗n} (RY always, for the angle embedding) and the
    constants C_1..C_L between and after the phase layers (module docstring)."""
    gates = genome.active_rotations
    basis = {
        g: _kron_matrices(_BASIS_CHANGE[g].expand(genome.n_qubits, 2, 2))
        for g in set(gates) | {"RY"}
    }
    entangle = _entangler_matrix(genome)
    rest = [basis[nxt].mH @ entangle @ basis[cur] for cur, nxt in zip(gates, gates[1:])]
    rest.append(entangle @ basis[gates[-1]])
    return basis, rest


# -- strategy 1: composed unitary ---------------------------------------------
class DenseCircuit(_Constants):
    """The input span's image under the circuit, composed once per call.

    In row form ``ψ = v · R`` with ``R = C_0ᵀ D_1 C_1ᵀ ⋯ D_L C_Lᵀ``: ``v`` is
    the angle embedding's phase vector exp(-i Σ_w x_w z_w) (R is 2^n × 2^n)
    or the normalised amplitudes (R has only the n rows of the states the
    amplitude input spans), ``D_l = diag(exp(-i/2 Σ_w θ_lw z_w))``.
    """

    def __init__(self, genome: Genome, dtype: torch.dtype):
        super().__init__()
        _check(genome)
        n, gates = genome.n_qubits, genome.active_rotations
        self.embedding = genome.embedding
        basis, rest = _layer_matrices(genome)
        if genome.embedding == "angle":
            # RY(2x)^{⊗n}|0> = W_Y^{⊗n} diag(exp(-i Σ x_w z_w)) 2^{-n/2}(1, ..., 1).
            c0 = basis[gates[0]].mH @ basis["RY"] / 2 ** (n / 2)
        else:
            c0 = basis[gates[0]].mH[:, :n]
        self._complex("c0_t", c0.T, dtype)
        self._complex("rest_t", torch.stack([c.T for c in rest]), dtype)
        z = z_signs(n)
        z2 = z.repeat_interleave(2, dim=0)
        self._real("neg_half_z", -0.5 * z.T, dtype)
        self._real("neg_z", -z.T, dtype)
        self._real("z2", z2, dtype)
        self._real("two_z2_t", 2 * z2.T, dtype)
        # Interleaved complex rows @ these = Im(rows) @ (-z or -z/2): the
        # backward's phase gradients without extracting imaginary parts.
        im_only = torch.tensor([0.0, 1.0]).repeat(2**n)[:, None]
        self._real("im_neg_z_t", -im_only * z2, dtype)
        self._real("im_neg_half_z_t", -0.5 * im_only * z2, dtype)
        self._real("one", torch.ones(()), dtype)

    def forward(self, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        return _DenseFunction.apply(x, weights, self.k, self.embedding == "angle")


class _DenseFunction(torch.autograd.Function):
    """<Z> = |v R|² z with a hand-written backward (see `DenseCircuit`).

    For these tiny tensors the cost is the number of kernel launches, and
    autograd would record about twice as many as the chain rule below needs.
    Complex gradients follow torch's convention (∂L/∂Re + i ∂L/∂Im).
    """

    @staticmethod
    def forward(ctx, x, weights, k: SimpleNamespace, angle: bool):
        phases = torch.polar(k.one, weights @ k.neg_half_z)
        rows = [k.c0_t]
        for layer in range(weights.shape[0]):
            rows.append((rows[-1] * phases[layer]) @ k.rest_t[layer])
        if angle:
            v = torch.polar(k.one, x @ k.neg_z)
            psi_ri = _interleaved(v @ rows[-1])
        else:
            norm = torch.linalg.vector_norm(x, dim=-1, keepdim=True)
            v = x / norm
            psi_ri = v @ _interleaved(rows[-1])
            ctx.norm = norm
        # Intermediates (not inputs or outputs) may live on ctx directly,
        # which skips save_for_backward's per-tensor bookkeeping.
        ctx.k, ctx.angle, ctx.v, ctx.psi_ri, ctx.phases, ctx.rows = (
            k,
            angle,
            v,
            psi_ri,
            phases,
            rows,
        )
        return psi_ri.square() @ k.z2

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        k, v, psi_ri, phases, rows = ctx.k, ctx.v, ctx.psi_ri, ctx.phases, ctx.rows
        need_x, need_w = ctx.needs_input_grad[:2]
        grad_psi_ri = (grad_out @ k.two_z2_t) * psi_ri
        grad_x = grad_rows = grad_w = None
        if ctx.angle:
            grad_psi = torch.view_as_complex(grad_psi_ri.view(psi_ri.shape[0], -1, 2))
            if need_x:
                # v = exp(iφ): dL/dφ = Im(conj(v) dL/dv); the matmul picks Im.
                grad_x = _interleaved(v.conj() * (grad_psi @ rows[-1].mH)) @ k.im_neg_z_t
            if need_w:
                grad_rows = v.mH @ grad_psi
        else:
            if need_x:
                # Through x̂ = x/|x|: the radial part of the gradient vanishes.
                grad_v = grad_psi_ri @ _interleaved(rows[-1]).T
                radial = (grad_v * v).sum(-1, keepdim=True)
                grad_x = (grad_v - radial * v) / ctx.norm
            if need_w:
                grad_rows = torch.view_as_complex((v.T @ grad_psi_ri).view(v.shape[1], -1, 2))
        if need_w:
            grad_phases = []
            for layer in reversed(range(phases.shape[0])):
                grad_scaled = grad_rows @ k.rest_t[layer].mH
                grad_phases.append((rows[layer].conj() * grad_scaled).sum(0))
                if layer:
                    grad_rows = grad_scaled * phases[layer].conj()
            grad_phases = torch.stack(grad_phases[::-1])
            grad_w = _interleaved(phases.conj() * grad_phases) @ k.im_neg_half_z_t
        return grad_x, grad_w, None, None


# -- strategy 2: gate layers on the state -------------------------------------
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


class StateVectorCircuit(_Constants):
    """Evolves a batch of states layer by layer (see module docstring)."""

    def __init__(self, genome: Genome, dtype: torch.dtype, group_size: int = GROUP_SIZE):
        super().__init__()
        _check(genome)
        n, gates = genome.n_qubits, genome.active_rotations
        self.n_qubits, self.embedding = n, genome.embedding
        self.groups = _groups(n, group_size)
        self._complex(
            "minus_i_pauli", torch.stack([-1j * _PAULI[g] for g in gates])[:, None], dtype
        )
        self._complex("eye2", torch.eye(2), dtype)
        z = z_signs(n)
        self._real("neg_half_z", -0.5 * z.T, dtype)
        self._real("one", torch.ones(()), dtype)
        # The first n basis states, as wire bits: the span of amplitude inputs.
        self.register_buffer("input_bits", basis_bits(n)[:n], persistent=False)
        self.register_buffer("wire_ids", torch.arange(n), persistent=False)
        halves = _halves(n)
        for i, bits in enumerate(halves):
            self.register_buffer(f"half_bits{i}", bits, persistent=False)
        self.n_halves = len(halves)

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
            group_mats = [_kron_matrices(dense_gates[:, a : a + c]) for a, c in self.groups]

        halves = [getattr(k, f"half_bits{i}") for i in range(self.n_halves)]
        state = _kron_vectors(self._wire_states(x, gates[0]), halves)
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
            return _interleaved(state).square() @ k.z2
        rows = _interleaved(state if batch_major else state.T)
        return (_normalised(x) @ rows).square() @ k.z2

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


# -- strategy 3: product states -----------------------------------------------
# <Z> of R_P(θ) RY(2x)|0> is ½[cos(2x + aθ) + cos(2x + bθ)] with these (a, b):
# RX gives cos θ cos 2x, RY cos(2x + θ), RZ cos 2x (Bloch-sphere rotations).
_WIRE_Z_ANGLES = {"RX": (1.0, -1.0), "RY": (1.0, 1.0), "RZ": (0.0, 0.0)}


def is_product_circuit(genome: Genome) -> bool:
    """Angle embedding and no dense rotation layer after the first."""
    return genome.embedding == "angle" and all(g == "RZ" for g in genome.active_rotations[1:])


class ProductCircuit(_Constants):
    """Circuits of `is_product_circuit`, in closed form.

    After the embedding and the first rotation layer the state is a product
    state. Everything after it is diagonal (RZ layers, CZ rounds: no effect
    on probabilities) or CNOT permutations, and a CNOT network maps each
    Z_w to a parity Π_{v∈S_w} Z_v. So <Z_w> = Π_{v∈S_w} <Z_v> of the single
    wires: n² work instead of 2^n.
    """

    def __init__(self, genome: Genome, dtype: torch.dtype):
        super().__init__()
        _check(genome)
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


# -- strategy 4: trigonometric polynomials -------------------------------------
def _trig_basis(count: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(count, 3^count) frequencies K and (3^count,) offsets o: features cos(t K + o).

    A function of ``count`` angles with frequencies k ∈ {-1, 0, 1} in each is
    a combination of the constant and cos(k·t), sin(k·t) = cos(k·t - π/2)
    for one k of each pair ±k (the one whose first nonzero entry is +1).
    """
    half = [k for k in itertools.product((-1, 0, 1), repeat=count) if next(filter(None, k), 0) == 1]
    freq = [(0,) * count] + [k for k in half for _ in range(2)]
    offset = [0.0] + [0.0, -math.pi / 2] * len(half)
    return torch.tensor(freq, dtype=torch.float64).T, torch.tensor(offset, dtype=torch.float64)


def _trig_grid(count: int) -> torch.Tensor:
    """(3^count, count) angles {0, 2π/3, 4π/3}^count, the first one slowest."""
    points = torch.arange(3, dtype=torch.float64) * (2 * math.pi / 3)
    return torch.cartesian_prod(*[points] * count).reshape(-1, count)


def _trig_coefficients(samples: torch.Tensor, count: int) -> torch.Tensor:
    """Samples (3^count, ...) on `_trig_grid` -> (3^count, ...) weights of `_trig_basis`.

    Exact for frequencies in {-1, 0, 1}: the grid's discrete Fourier
    transform gives f = Σ_k c_k exp(ik·t), and c_{-k} = conj(c_k) pairs into
    2 Re(c_k) cos(k·t) - 2 Im(c_k) sin(k·t).
    """
    rest = samples.shape[1:]
    # The grid's DFT is a 3-point DFT along each angle's axis.
    index = torch.arange(3, dtype=torch.float64)
    dft = torch.polar(torch.ones(3, 3).double(), -2 * math.pi / 3 * index[:, None] * index)
    spectrum = samples.to(torch.complex128)
    for axis in range(count):
        spectrum = torch.einsum("kj,ajb->akb", dft, spectrum.reshape(3**axis, 3, -1))
    spectrum = spectrum.reshape(3**count, *rest) / 3**count
    freq, _ = _trig_basis(count)
    # Frequency k sits at index Σ_i (k_i mod 3) 3^(count-1-i) of the spectrum.
    index = ((freq[:, 1::2].long() % 3).T @ 3 ** torch.arange(count - 1, -1, -1)).tolist()
    pairs = spectrum[index]
    rows = torch.stack([2 * pairs.real, -2 * pairs.imag], 1).reshape(-1, *rest)
    return torch.cat([spectrum[:1].real, rows])


def _rotated_rows(genome: Genome, weights: torch.Tensor) -> torch.Tensor:
    """(S, L, n) weight sets -> (S, r, 2^n) complex ``R`` with ψ ↦ ψ R the circuit.

    Row form as in `DenseCircuit`, without the embedding: r = 2^n rows
    (angle) or the n rows of the amplitude input's span.
    """
    n, gates = genome.n_qubits, genome.active_rotations
    basis, rest = _layer_matrices(genome)
    rows = basis[gates[0]].mH.T
    if genome.embedding == "amplitude":
        rows = rows[:n]
    phases = torch.polar(torch.ones(()).double(), weights @ (-0.5 * z_signs(n).T))
    for layer, c in enumerate(rest):
        rows = (rows * phases[:, layer, None, :]) @ c.T
    return rows


def _quadratic_forms(genome: Genome, weights: torch.Tensor) -> torch.Tensor:
    """(S, L, n) weight sets -> (S, r, r, n) real M with <Z_w> = ψᵀ M_w ψ.

    ψ is the real embedded state (see `TrigCircuit`): <Z_w> = ψ R Z_w R^† ψᵀ,
    whose imaginary part cancels.
    """
    rows = _rotated_rows(genome, weights)
    pairs = rows[:, :, None, :].conj() * rows[:, None, :, :]
    return pairs.real @ z_signs(genome.n_qubits)


def _angle_state(x: torch.Tensor) -> torch.Tensor:
    """(N, n) -> (N, 2^n) real product states ⊗_w (cos x_w, sin x_w)."""
    bits = basis_bits(x.shape[-1]).bool()
    return torch.where(bits, torch.sin(x)[:, None], torch.cos(x)[:, None]).prod(-1)


def _pair_sums(r: int) -> torch.Tensor:
    """(r, r(r+1)/2) V: columns e_a, then e_a + e_b for a < b."""
    eye = torch.eye(r, dtype=torch.float64)
    pairs = [eye[a] + eye[b] for a, b in itertools.combinations(range(r), 2)]
    return torch.stack([*eye, *pairs], 1)


def _pair_sum_weights(forms: torch.Tensor) -> torch.Tensor:
    """(..., r, r, n) symmetric M -> (..., r(r+1)/2, n) A with ψᵀMψ = (ψ V)² A.

    Polarisation: 2ψ_aψ_b = (ψ_a + ψ_b)² - ψ_a² - ψ_b².
    """
    r = forms.shape[-2]
    pairs = list(itertools.combinations(range(r), 2))
    off = torch.stack([forms[..., a, b, :] for a, b in pairs], -2)
    diag = torch.diagonal(forms, dim1=-3, dim2=-2).transpose(-1, -2)
    return torch.cat([2 * diag - forms.sum(-2), off], -2)


class TrigCircuit(_Constants):
    """Narrow, shallow circuits as trigonometric polynomials in the weights.

    The embedded state ψ is real: ``⊗_w (cos x_w, sin x_w)`` (angle) or
    ``x/|x|`` in the span of the first n basis states (amplitude), so with
    the circuit ψ ↦ ψ R, ``<Z_w> = ψᵀ M_w ψ`` with ``M_w = Re(R Z_w R^†)``.
    Each weight enters R as exp(±iθ/2), so M is a trigonometric polynomial
    with frequencies {-1, 0, 1} in each of the L·n weights, and so is
    ψψᵀ in 2x for the angle embedding. Their coefficients are constants,
    found once from samples on a grid (`_trig_coefficients`). A step is then

        A = (cos(θ K + o) C).reshape(features, n)
        <Z> = cos(x F + o') A                       (angle)
        <Z> = (x V)² A / Σ_a x_a²                   (amplitude, `_pair_sums`)

    a handful of real ops whose backward torch runs in C++. C has
    3^(L·n) rows, so this is for circuits with few weights only
    (`TRIG_MAX_CONSTANTS`).
    """

    def __init__(self, genome: Genome, dtype: torch.dtype):
        super().__init__()
        _check(genome)
        n, count = genome.n_qubits, genome.n_layers * genome.n_qubits
        self.angle = genome.embedding == "angle"
        weights = _trig_grid(count).reshape(-1, genome.n_layers, n)
        forms = _quadratic_forms(genome, weights)
        if self.angle:
            # Samples at x on the grid of 2x, then coefficients in x too.
            psi = _angle_state(_trig_grid(n) / 2)
            samples = (psi[:, :, None] * psi[:, None, :]).reshape(3**n, -1) @ forms.flatten(1, 2)
            per_x = _trig_coefficients(samples, count).transpose(0, 1)
            coefficients = _trig_coefficients(per_x, n).transpose(0, 1)
            freq, offset = _trig_basis(n)
            self._real("x_freq", 2 * freq, dtype)
            self._real("x_offset", offset, dtype)
        else:
            coefficients = _trig_coefficients(_pair_sum_weights(forms), count)
            pair_sums = _pair_sums(n)
            self._real("pair_sums", pair_sums, dtype)
            # (x V)² summed over the unit columns of V is |x|²; one column per
            # wire, so the division needs no broadcast (and no reduction in backward).
            unit = (pair_sums.sum(0) == 1).double()[:, None]
            self._real("squared_norm", unit.expand(-1, n), dtype)
        self.features = coefficients.shape[1]
        freq, offset = _trig_basis(count)
        self._real("w_freq", freq, dtype)
        self._real("w_offset", offset, dtype)
        self._real("coefficients", coefficients.flatten(1), dtype)

    def forward(self, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        k = self.k
        w_features = torch.cos(torch.addmm(k.w_offset, weights.view(1, -1), k.w_freq))
        coefficients = (w_features @ k.coefficients).view(self.features, -1)
        if self.angle:
            return torch.cos(torch.addmm(k.x_offset, x, k.x_freq)) @ coefficients
        squares = (x @ k.pair_sums).square()
        return (squares @ coefficients) / (squares @ k.squared_norm)


def trig_constants(genome: Genome) -> int:
    """Size of `TrigCircuit`'s coefficient matrix: 3^(weights) × features × n."""
    n = genome.n_qubits
    features = 3**n if genome.embedding == "angle" else n * (n + 1) // 2
    return 3 ** (genome.n_layers * n) * features * n


def choose_strategy(genome: Genome) -> str:
    if trig_constants(genome) <= TRIG_MAX_CONSTANTS:
        return "trig"
    if is_product_circuit(genome):
        return "product"
    return "dense" if genome.n_qubits <= DENSE_MAX_QUBITS[genome.embedding] else "statevector"


_STRATEGIES = {
    "dense": DenseCircuit,
    "statevector": StateVectorCircuit,
    "product": ProductCircuit,
    "trig": TrigCircuit,
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
        if dtype not in _COMPLEX:
            raise ValueError(f"dtype must be torch.float32 or torch.float64, got {dtype}")
        self.genome = genome
        self.strategy = strategy or choose_strategy(genome)
        self.weights = nn.Parameter(torch.empty(genome.n_layers, genome.n_qubits, dtype=dtype))
        nn.init.uniform_(self.weights, b=2 * math.pi)
        self.circuit = _STRATEGIES[self.strategy](genome, dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 2:
            return self.circuit(x, self.weights)
        flat = x.reshape(-1, self.genome.n_qubits)
        return self.circuit(flat, self.weights).reshape(x.shape)

    def extra_repr(self) -> str:
        return f"{self.genome.phenotype_key}, strategy={self.strategy}"
