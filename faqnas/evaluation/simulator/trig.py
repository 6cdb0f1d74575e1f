"""Strategy ``trig``: <Z_w> as a trigonometric polynomial in weights and
inputs, for circuits with few weights (see `faqnas.evaluation.simulator`)."""

from __future__ import annotations

import itertools
import math

import torch
from faqnas.evaluation.simulator.structure import (
    Constants,
    basis_bits,
    check_genome,
    layer_matrices,
    z_signs,
)
from faqnas.search.space import Genome

# Largest coefficient matrix of the trigonometric strategy (`trig_constants`),
# measured like DENSE_MAX_QUBITS: beyond it, its one big matmul per step (and
# its construction) costs more than the other strategies' smaller ops.
TRIG_MAX_CONSTANTS = 2**18


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
    basis, rest = layer_matrices(genome)
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


class TrigCircuit(Constants):
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
        check_genome(genome)
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


