"""Fast batched statevector simulation of a genome's circuit for torch.

It computes exactly the circuit of `faqnas.evaluation.circuits` (embedding, rotation
layers, entangling rounds, <Z_w> on every wire; see that module) with
gradients for inputs and weights, on CPU and CUDA, in float32 (complex64
states) or float64 (complex128 states). Wire 0 is the most significant bit
of a basis index, as in PennyLane; ``z_w(j) = ±1`` is the eigenvalue of Z on
wire w in basis state j.

A search trains thousands of tiny circuits, so kernel launches per step
matter as much as arithmetic. `choose_strategy` takes ``native``, the
compiled kernel, wherever it loads (training then takes whole steps in the
compiled `faqnas.evaluation.fused` step, and the layer serves validation and
prediction); elsewhere `torch_strategy` picks one of the four torch-only
strategies by circuit size, from measurements (`TRIG_MAX_CONSTANTS`,
`DENSE_MAX_QUBITS`, bench/bench_training_step.py --torch-steps):

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

``native`` (wherever the kernel loads): gate by gate in a compiled C++ kernel
    (``native.cpp``, built on first use; `faqnas.evaluation.simulator.native`),
    one call forward and one backward per step. States are planar batches
    with the batch innermost, so every gate is a vectorised pass over
    contiguous memory; entanglers only relabel rows (a permutation and signs
    that later rotations read through); gradients come from the adjoint
    method, which runs the circuit backwards on the final state and the
    cotangent instead of storing every intermediate state. The angle
    embedding's product state is built directly; for the amplitude
    embedding the kernel evolves the n basis states the inputs span and
    combines them per sample. Off the CPU the layer runs the torch strategy
    the circuit's size selects.

``dense`` (torch; for ``native``: angle up to 6 qubits, amplitude up to 8):
    every rotation layer is a phase layer in a rotated basis,
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

``statevector`` (torch; for ``native``: wider circuits): states are evolved
    layer by layer. The first rotation layer acts wire by wire on the
    product state, before the Kronecker product. A dense rotation layer (RX, RY) is applied as
    Kronecker products over groups of up to `GROUP_SIZE` wires, one matmul
    per group; each matmul also rotates the tensor's axes by one group, so no
    transposing copies are needed (layouts alternate between batch-major and
    qubit-major). RZ layers and CZ rounds are diagonal (phase vectors,
    merged when adjacent), a CNOT round is one permutation. Diagonals after
    the last dense layer cannot change probabilities and are skipped;
    permutations there are folded into the measurement's signs. For the
    amplitude embedding the evolved states are the n basis states the input
    spans, whatever the batch size.

In ``native``, ``dense`` and ``statevector``, ``<Z_w> = Σ_j |ψ_j|² z_w(j)``
is one matmul of the probabilities with a constant sign matrix.

Use float32 for training: about twice as fast as float64 on the widest
circuits, equal on small ones, with errors (~1e-6) far below training noise.
float64 matches PennyLane's ``default.qubit`` to ~1e-13 (the tests' bound
is 1e-10).
"""

from faqnas.evaluation.simulator.layer import QuantumLayer, choose_strategy

__all__ = ["QuantumLayer", "choose_strategy"]
