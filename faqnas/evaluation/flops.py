"""FLOPs of a genome's HQNN: profiled (as the paper does) and analytic.

``profile_flops``: one-sample forward + backward (NLL loss) under
``torch.profiler.profile(with_flops=True)``, once for the full HQNN and once
for the classical-only baseline with the same Linear layers;
F_Q = max(F_total - F_classical, 0). The quantum layer is always PennyLane's
``default.qubit`` (the paper's setting), whatever backend trains the model,
so F_Q never depends on the training backend.

The profiler only counts some operators (mm/addmm/bmm/baddbmm as 2·M·N·K,
conv, and mul/add as one FLOP per output element, complex not scaled), so
F_Q reflects how default.qubit happens to apply gates: CNOT by slicing costs
0, CZ by products does not. ``analytic_quantum_flops`` is the
implementation-independent alternative (formula in its docstring).
"""

from __future__ import annotations

import torch
from torch.profiler import ProfilerActivity, profile

from faqnas.evaluation.circuits import entangler_pairs
from faqnas.evaluation.model import HQNN, ClassicalBaseline
from faqnas.search.space import Genome

# Real FLOPs per amplitude of the 2^n-amplitude complex state vector.
DENSE_GATE = 14  # 2x2 complex matrix: 2 complex mul (6 each) + 1 complex add (2)
DIAGONAL_GATE = 6  # one complex mul
CZ_GATE = 0.5  # negate (2 real ops) the quarter of amplitudes with both bits 1
PROBABILITY = 3  # |a|² = re² + im²
BACKWARD_FACTOR = 2  # reverse mode: input and parameter adjoints, each ~ one forward


def _profiled_flops(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> int:
    """FLOPs the profiler attributes to one forward + backward of ``model``.

    Counted operators can nest (``aten::mul`` with a scalar dispatches to
    ``aten::mul`` with a tensor, both counted), so only counted events not
    enclosed by another counted event are summed. The raw Kineto events are
    read directly: ``prof.events()`` would do the same de-duplication but
    builds Python objects for every event, seconds for a 10-qubit circuit.
    """
    with profile(activities=[ProfilerActivity.CPU], with_flops=True) as prof:
        torch.nn.functional.nll_loss(model(x), y).backward()
    counted = sorted(
        (e.start_thread_id(), e.start_ns(), -e.end_ns(), e.flops())
        for e in prof.profiler.kineto_results.events()
        if e.flops()
    )
    total, outer = 0, (None, -1)
    for thread, start, neg_end, flops in counted:
        if thread != outer[0] or start >= outer[1]:
            total += flops
            outer = (thread, -neg_end)
    return total


def profile_flops(genome: Genome, n_features: int, n_classes: int) -> dict[str, int]:
    """Profiler FLOPs {"total", "classical", "quantum"} of one training sample."""
    # Counts depend on shapes only; fixed values anyway, without touching
    # the caller's random state.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        x = torch.rand(1, n_features)
        hybrid = HQNN(genome, n_features, n_classes, backend="pennylane")
        classical_model = ClassicalBaseline(n_features, genome.n_qubits, n_classes)
    y = torch.zeros(1, dtype=torch.long)
    total = _profiled_flops(hybrid, x, y)
    classical = _profiled_flops(classical_model, x, y)
    return {"total": total, "classical": classical, "quantum": max(total - classical, 0)}


def analytic_quantum_flops(genome: Genome) -> int:
    """Real FLOPs of one sample's quantum forward + backward, from gate counts.

    With ``N = 2^n`` complex amplitudes, ``P`` entangler pairs per round
    (n-1 linear, n circular for n > 2) and L layers:

        forward  = E + Σ_l n·g(rot_l) + L·P·c + N·(3 + n)
        total    = (1 + 2) · forward

    - gate cost per application g: RX, RY (dense 2x2 complex on every
      amplitude pair) 14·N; RZ (diagonal) 6·N;
    - entangler c: CNOT permutes amplitudes, 0; CZ negates N/4 amplitudes,
      N/2;
    - embedding E: angle = n RY gates = 14·n·N; amplitude = norm and
      division of the n inputs, 3·n + 1 (padding is free);
    - measurement: |ψ_j|² (3 per amplitude) and n signed sums over N
      amplitudes for <Z_w>;
    - backward = 2 × forward (each operation's adjoint plus its parameter
      or input gradient costs about one forward application).

    Parameter-to-matrix costs (trigonometry, O(n·L)) are left out.
    """
    n, amplitudes = genome.n_qubits, 2**genome.n_qubits
    gate = {"RX": DENSE_GATE, "RY": DENSE_GATE, "RZ": DIAGONAL_GATE}
    entangler = {"CNOT": 0, "CZ": CZ_GATE}[genome.entangler]
    if genome.embedding == "angle":
        embedding = n * DENSE_GATE * amplitudes
    else:
        embedding = 3 * n + 1
    pairs = len(entangler_pairs(n, genome.topology))
    layers = sum(n * gate[g] * amplitudes for g in genome.active_rotations)
    entangling = genome.n_layers * pairs * entangler * amplitudes
    measurement = (PROBABILITY + n) * amplitudes
    forward = embedding + layers + entangling + measurement
    return int(round((1 + BACKWARD_FACTOR) * forward))
