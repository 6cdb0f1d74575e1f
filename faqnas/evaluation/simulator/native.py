"""Strategy ``native``: the circuit gate by gate in faqnas' compiled kernel
(`faqnas.native`, ``circuit.hpp``), with adjoint gradients (see
`faqnas.evaluation.simulator`).

Where the kernel cannot run, the same function is computed on the torch
strategy the circuit's size selects: off the CPU (`NativeCircuit`'s
fallback), and, with one warning, on a machine without a working C++
compiler (`available`, read by `choose_strategy`).
"""

from __future__ import annotations

import warnings

import torch
from faqnas.evaluation.circuits import entangler_pairs
from faqnas.evaluation.simulator.structure import Constants, check_genome, normalised, z_signs
from faqnas.native import NativeUnavailable, load
from faqnas.search.space import Genome
from torch import nn
from torch.autograd.function import once_differentiable

# Operation codes of circuit.hpp's programs.
_OPS = {"RX": 0, "RY": 1, "RZ": 2, "EMBED_ANGLE": 3, "CNOT": 4, "CZ": 5}
# Columns of the amplitude embedding's basis states: whole vector registers
# (step.cpp uses the same number).
BASIS_COLUMNS = 16


def program(genome: Genome) -> torch.Tensor:
    """The circuit as circuit.hpp's operations: rows of (code, wire a, wire b, weight index).

    The angle embedding is one operation (the product state it makes); the
    amplitude embedding none: the kernel evolves the basis states it spans.
    RZ layers after the last RX or RY layer are left out: only diagonal
    gates and permutations follow them, which cannot change probabilities,
    so their weights' gradients are exactly zero (not rounding noise that
    Adam would scale up to full steps).
    """
    n = genome.n_qubits
    gates = genome.active_rotations
    last_dense = max((layer for layer, gate in enumerate(gates) if gate != "RZ"), default=-1)
    ops = [(_OPS["EMBED_ANGLE"], 0, 0, 0)] if genome.embedding == "angle" else []
    pairs = entangler_pairs(n, genome.topology)
    for layer, gate in enumerate(gates):
        if layer <= last_dense:
            ops += [(_OPS[gate], w, 0, layer * n + w) for w in range(n)]
        ops += [(_OPS[genome.entangler], a, b, 0) for a, b in pairs]
    return torch.tensor(ops, dtype=torch.int32).reshape(-1, 4)


class _Probabilities(torch.autograd.Function):
    """Probabilities (2^n, B) of a program's final states for inputs (n, B):
    the angle embedding's angles, or the amplitude embedding's normalised
    vectors with ``initial`` the basis states (circuit.hpp)."""

    @staticmethod
    def forward(ctx, inputs, weights, initial, lib, n, ops):
        suffix = "f32" if weights.dtype == torch.float32 else "f64"
        weights, inputs = weights.detach().contiguous(), inputs.detach().contiguous()
        batch = inputs.shape[1]
        state = weights.new_empty(2, 2**n, batch) if initial is None else initial.clone()
        probs = state.new_empty(2**n, batch)
        getattr(lib, f"faqnas_forward_{suffix}")(
            n, ops.shape[0], ops.data_ptr(), weights.data_ptr(), inputs.data_ptr(),
            state.data_ptr(), state.shape[-1], batch, probs.data_ptr(),
        )
        ctx.save_for_backward(inputs, weights)
        # The final states are consumed (overwritten) by the backward pass,
        # so they stay off save_for_backward's version checks.
        ctx.state, ctx.lib, ctx.n, ctx.ops, ctx.suffix = state, lib, n, ops, suffix
        return probs

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_probs):
        inputs, weights = ctx.saved_tensors
        state, ctx.state = ctx.state, None
        if state is None:
            raise RuntimeError(
                "the native circuit's backward pass runs once per forward pass "
                "(its final states are consumed); use another strategy for retain_graph"
            )
        grad_probs = grad_probs.contiguous()
        work = torch.empty_like(state)
        grad_weights = torch.zeros(weights.numel(), dtype=torch.float64)
        grad_inputs = torch.empty_like(inputs)
        getattr(ctx.lib, f"faqnas_backward_{ctx.suffix}")(
            ctx.n, ctx.ops.shape[0], ctx.ops.data_ptr(), weights.data_ptr(), inputs.data_ptr(),
            state.data_ptr(), state.shape[-1], inputs.shape[1], grad_probs.data_ptr(),
            work.data_ptr(), grad_weights.data_ptr(), grad_inputs.data_ptr(),
        )
        grad_weights = grad_weights.to(weights.dtype).view_as(weights)
        return grad_inputs, grad_weights, None, None, None, None


def available() -> bool:
    """Whether faqnas' kernels build and load here; warns once where they do not."""
    try:
        load()
    except NativeUnavailable as exc:
        warnings.warn(f"{exc}\nfaqnas simulates on its torch strategies instead", stacklevel=3)
        return False
    return True


class NativeCircuit(Constants):
    """The genome's circuit in the compiled kernel.

    Off the CPU it runs ``fallback`` (a torch strategy's class, built on first
    use there). The library itself stays off the module, which must deepcopy
    and pickle.
    """

    def __init__(self, genome: Genome, dtype: torch.dtype, fallback: type[nn.Module]):
        super().__init__()
        check_genome(genome)
        n = genome.n_qubits
        self.genome, self.n_qubits, self.embedding = genome, n, genome.embedding
        self.fallback_class = fallback
        self.fallback = None
        self.ops = program(genome)
        self._real("z", z_signs(n), dtype)
        if genome.embedding == "amplitude":
            basis = torch.zeros(2, 2**n, BASIS_COLUMNS)
            basis[0, :n, :n] = torch.eye(n)
            self._real("basis", basis, dtype)

    def forward(self, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        if x.device.type != "cpu":
            if self.fallback is None:
                self.fallback = self.fallback_class(self.genome, weights.dtype).to(x.device)
            return self.fallback(x, weights)
        k = self.k
        if self.embedding == "angle":
            inputs, initial = x.T, None
        else:
            inputs, initial = normalised(x).T, k.basis
        probs = _Probabilities.apply(inputs, weights, initial, load(), self.n_qubits, self.ops)
        return probs.T @ k.z
