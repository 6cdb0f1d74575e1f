"""The fused training step: a whole HQNN step (both Linear layers, the
circuit, log-softmax, NLL, their gradients and Adam) in one call of faqnas'
compiled kernel (`faqnas.native`, ``step.cpp``).

In torch a step is ~40 dispatched operations and autograd nodes of a few µs
each, which is all of a small circuit's step; fused, it is one call. It
computes what `faqnas.evaluation.train` computes on the torch path (the
tests compare them in float64), on the ``native`` strategy's circuit kernel
for every circuit.
"""

from __future__ import annotations

import ctypes

import torch

from faqnas.evaluation.model import HQNN
from faqnas.evaluation.simulator.native import program
from faqnas.native import load


def _pointers(tensors: list[torch.Tensor]):
    return (ctypes.c_void_p * len(tensors))(*(t.data_ptr() for t in tensors))


class FusedStep:
    """Trains an HQNN's parameters in place with Adam, one batch per call.

    The parameters are updated where they live, so the module's forward (for
    validation, export) always sees the current weights; Adam's state is the
    step's own.

    Args:
        model (HQNN): on the ``simulator`` backend, on the CPU, float32 or float64.
        lr (float): Adam's learning rate.
        betas (tuple[float, float]): Adam's decay rates.
        eps (float): Adam's denominator term.

    Raises:
        ValueError: the model is not one the kernel trains (its message says why).
        faqnas.native.NativeUnavailable: the kernel cannot be built or loaded.
    """

    def __init__(self, model: HQNN, lr: float, betas=(0.9, 0.999), eps: float = 1e-8):
        if not isinstance(model, HQNN) or model.backend != "simulator":
            raise ValueError("the fused step trains HQNNs on the simulator backend")
        self.params = [model.pre.weight, model.pre.bias, model.quantum.weights,
                       model.post.weight, model.post.bias]
        dtype = self.params[0].dtype
        if dtype not in (torch.float32, torch.float64):
            raise ValueError(f"the fused step trains float32 or float64, not {dtype}")
        for p in self.params:
            if p.device.type != "cpu" or p.dtype != dtype or not p.is_contiguous():
                raise ValueError("the fused step trains contiguous CPU parameters of one dtype")
        genome = model.genome
        self.lib = load()
        self.function = getattr(self.lib, "faqnas_step_" + ("f32" if dtype == torch.float32 else "f64"))
        self.ops = program(genome)
        self.shape = (genome.n_qubits, self.ops.shape[0], self.ops.data_ptr(),
                      int(genome.embedding == "amplitude"), model.pre.in_features,
                      model.post.out_features)
        self.lr, (self.beta1, self.beta2), self.eps = lr, betas, eps
        self.exp_avg = [torch.zeros_like(p) for p in self.params]
        self.exp_avg_sq = [torch.zeros_like(p) for p in self.params]
        self._param_ptrs = _pointers([p.detach() for p in self.params])
        self._avg_ptrs = _pointers(self.exp_avg)
        self._sq_ptrs = _pointers(self.exp_avg_sq)
        self.steps = 0

    def __call__(self, x: torch.Tensor, y: torch.Tensor, rows: torch.Tensor) -> float:
        """One step on the batch ``x[rows]``, ``y[rows]``; returns its mean NLL loss.

        Args:
            x (torch.Tensor): (N, d) contiguous training inputs, the parameters' dtype.
            y (torch.Tensor): (N,) int64 labels.
            rows (torch.Tensor): (B,) int64 indices of the batch.

        Returns:
            float: the batch's loss before the update; if it is not finite the
            parameters are left as they were.
        """
        dtype = self.params[0].dtype
        if x.dtype != dtype or y.dtype != torch.int64 or rows.dtype != torch.int64:
            raise ValueError(f"x must be {dtype}, y and rows int64")
        if not (x.is_contiguous() and y.is_contiguous() and rows.is_contiguous()):
            raise ValueError("x, y and rows must be contiguous")
        self.steps += 1
        return self.function(
            *self.shape, rows.numel(), x.data_ptr(), y.data_ptr(), rows.data_ptr(),
            self._param_ptrs, self._avg_ptrs, self._sq_ptrs, float(self.steps),
            self.lr, self.beta1, self.beta2, self.eps,
        )
