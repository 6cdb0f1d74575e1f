"""Strategy ``dense``: the circuit composed into one constant-sized unitary per
step, with a hand-written backward (see `faqnas.evaluation.simulator`)."""

from __future__ import annotations

from types import SimpleNamespace

import torch
from faqnas.evaluation.simulator.structure import (
    Constants,
    check_genome,
    interleaved,
    layer_matrices,
    z_signs,
)
from faqnas.search.space import Genome
from torch.autograd.function import once_differentiable

# Widest circuits for the composed-unitary strategy, measured on a 2-core
# EPYC (batch 64, 1 thread, float32): its cost grows as rows × 4^n per layer,
# with 2^n rows for the angle embedding but only n for the amplitude one.
DENSE_MAX_QUBITS = {"angle": 6, "amplitude": 8}


class DenseCircuit(Constants):
    """The input span's image under the circuit, composed once per call.

    In row form ``ψ = v · R`` with ``R = C_0ᵀ D_1 C_1ᵀ ⋯ D_L C_Lᵀ``: ``v`` is
    the angle embedding's phase vector exp(-i Σ_w x_w z_w) (R is 2^n × 2^n)
    or the normalised amplitudes (R has only the n rows of the states the
    amplitude input spans), ``D_l = diag(exp(-i/2 Σ_w θ_lw z_w))``.
    """

    def __init__(self, genome: Genome, dtype: torch.dtype):
        super().__init__()
        check_genome(genome)
        n, gates = genome.n_qubits, genome.active_rotations
        self.embedding = genome.embedding
        basis, rest = layer_matrices(genome)
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
            psi_ri = interleaved(v @ rows[-1])
        else:
            norm = torch.linalg.vector_norm(x, dim=-1, keepdim=True)
            v = x / norm
            psi_ri = v @ interleaved(rows[-1])
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
                grad_x = interleaved(v.conj() * (grad_psi @ rows[-1].mH)) @ k.im_neg_z_t
            if need_w:
                grad_rows = v.mH @ grad_psi
        else:
            if need_x:
                # Through x̂ = x/|x|: the radial part of the gradient vanishes.
                grad_v = grad_psi_ri @ interleaved(rows[-1]).T
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
            grad_w = interleaved(phases.conj() * grad_phases) @ k.im_neg_half_z_t
        return grad_x, grad_w, None, None


