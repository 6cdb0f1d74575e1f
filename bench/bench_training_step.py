"""Milliseconds per HQNN training step: PennyLane default.qubit vs faqnas.simulator.

A step is forward + NLL loss + backward + Adam step on one batch of Digits
(d = 64 features, 10 classes). Reported: the median over ``--repeats`` steps
after ``--warmup`` steps, for every genome of the panel (qubits x layers x
embeddings, one fixed gate/entangler choice), and the geometric mean of the
speed-ups. See bench/README.md.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import time

import numpy as np
import torch
from sklearn.datasets import load_digits

from faqnas.evaluation.adam import Adam
from faqnas.evaluation.fused import FusedStep
from faqnas.evaluation.model import HQNN
from faqnas.evaluation.simulator import choose_strategy
from faqnas.search.space import Genome

DTYPES = {"float32": torch.float32, "float64": torch.float64}


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default 1)")
    p.add_argument("--qubits", type=int, nargs="+", default=[2, 4, 6, 8, 10])
    p.add_argument("--layers", type=int, nargs="+", default=[1, 4])
    p.add_argument("--embeddings", nargs="+", default=["angle", "amplitude"])
    p.add_argument("--rotations", nargs=4, default=["RX", "RY", "RZ", "RY"], metavar="GATE")
    p.add_argument("--entangler", default="CNOT", choices=["CNOT", "CZ"])
    p.add_argument("--topology", default="circular", choices=["linear", "circular"])
    p.add_argument(
        "--dtypes",
        nargs="+",
        default=["float32", "float64"],
        choices=list(DTYPES),
        help="simulator dtypes to time (PennyLane runs in the model's float32)",
    )
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--repeats", type=int, default=25)
    p.add_argument("--no-pennylane", action="store_true", help="time the simulator only")
    p.add_argument(
        "--torch-steps",
        action="store_true",
        help="time the simulator's steps in torch (autograd and faqnas.adam.Adam) instead of "
        "the fused kernel call training takes on the CPU",
    )
    p.add_argument(
        "--device",
        default="cpu",
        help="device of the simulator rows, e.g. cuda (PennyLane, the reference, stays on CPU)",
    )
    return p.parse_args(argv)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, torch {torch.__version__} "
        f"({torch.get_num_threads()} threads), python {platform.python_version()}"
    )


def digits_batches(batch_size: int, count: int, dtype: torch.dtype):
    x, y = load_digits(return_X_y=True)
    x = torch.as_tensor(x / 16.0, dtype=dtype)
    y = torch.as_tensor(y)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(0))
    batches = []
    for i in range(count):
        idx = order.roll(-i * batch_size)[:batch_size]
        batches.append((x[idx], y[idx]))
    return batches


def step_flops(genome: Genome, batch_size: int, n_features: int = 64, n_classes: int = 10) -> int:
    """Real FLOPs of a minimal gate-by-gate training step of ``genome``'s HQNN.

    Per single-qubit gate and amplitude of each sample's 2^n state: 14 to
    apply it (two complex products and a sum), 14 to carry the gradient back
    through it and 8 for its angle's derivative (an inner product), so
    36 * 2^n per gate and sample; CNOT and CZ rounds are permutations and
    sign flips (free). The gates: the embedding's n RY rotations (angle; the
    amplitude embedding is the normalised input, free) and n per layer.
    Plus the measurement (|psi|^2 and <Z_w>: (3 + n) * 2^n forward, as much
    back) and the classical layers (6 * in * out each, forward and backward).
    """
    n, amplitudes = genome.n_qubits, 2 ** genome.n_qubits
    gates = n * genome.n_layers + (n if genome.embedding == "angle" else 0)
    quantum = (36 * gates + 2 * (3 + n)) * amplitudes
    classical = 6 * (n_features * n + n * n_classes)
    return batch_size * (quantum + classical)


def matmul_gflops(dtype: torch.dtype, device: str, size: int = 512, repeats: int = 20) -> float:
    """This machine's complex matrix product speed, now: GFLOP/s of a
    ``size``-square product in the complex dtype of ``dtype`` (8 real FLOPs
    per complex multiply-add), median of ``repeats``."""
    complex_dtype = torch.complex64 if dtype == torch.float32 else torch.complex128
    a = torch.randn(size, size, dtype=complex_dtype, device=device)
    b = torch.randn(size, size, dtype=complex_dtype, device=device)
    synchronise = torch.cuda.synchronize if device.startswith("cuda") else lambda: None
    times = []
    for _ in range(repeats + 2):
        synchronise()
        start = time.perf_counter()
        torch.matmul(a, b)
        synchronise()
        times.append(time.perf_counter() - start)
    return 8 * size**3 / statistics.median(times[2:]) / 1e9


def fused_step_ms(model: HQNN, batches, warmup: int) -> float:
    """Median ms of a fused training step (`FusedStep`, as training takes it)."""
    step = FusedStep(model, lr=3e-3)
    rows = torch.arange(len(batches[0][0]))
    times = []
    for x, y in batches:
        start = time.perf_counter()
        step(x, y, rows)
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times[warmup:])


def step_ms(model: torch.nn.Module, batches, warmup: int) -> float:
    """Median ms of forward + backward + Adam step over the batches after warm-up."""
    # The optimiser training uses (the fused Adam kernel, called directly).
    optimiser = Adam(model.parameters(), lr=3e-3)
    device = next(model.parameters()).device
    # A GPU runs asynchronously: a step has ended when its kernels have.
    synchronise = torch.cuda.synchronize if device.type == "cuda" else lambda: None
    times = []
    for x, y in batches:
        x, y = x.to(device), y.to(device)
        synchronise()
        start = time.perf_counter()
        optimiser.zero_grad()
        loss = torch.nn.functional.nll_loss(model(x), y)
        loss.backward()
        optimiser.step()
        synchronise()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times[warmup:])


def main(argv=None) -> None:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    print(f"machine: {machine()}")
    print(
        f"genomes: rotations {'-'.join(args.rotations)} (first n_layers active), "
        f"{args.entangler} {args.topology}; Digits d=64, 10 classes, batch {args.batch_size}"
    )
    fused = not args.torch_steps and args.device == "cpu"
    print(
        f"step = forward + NLL + backward + Adam; median of {args.repeats} steps "
        f"after {args.warmup} warm-up; PennyLane: TorchLayer, default.qubit, backprop, "
        "faqnas.adam.Adam; simulator: "
        + ("one fused kernel call (faqnas.evaluation.fused), as training takes it"
           if fused else "QuantumLayer on the strategy shown, autograd, faqnas.adam.Adam")
    )
    batches32 = digits_batches(args.batch_size, args.warmup + args.repeats, torch.float32)
    backends = ([] if args.no_pennylane else [("pennylane", "float32")]) + [
        ("simulator", d) for d in args.dtypes
    ]
    names = [f"{b} {d}" if b == "simulator" else b for b, d in backends]
    print(f"simulator rows on {args.device}")
    rates = {d: matmul_gflops(DTYPES[d], args.device) for d in args.dtypes}
    print("limit: a minimal gate-by-gate step's FLOPs (bench/README.md) at this machine's "
          "complex matrix product speed, measured now: "
          + ", ".join(f"{d} {rate:.1f} GFLOP/s" for d, rate in rates.items()))
    header = f"{'qubits':>6} {'layers':>6} {'embedding':>9} {'strategy':>11} " + " ".join(
        f"{n:>17}" for n in names
    )
    if not args.no_pennylane:
        header += " " + " ".join(f"{'speed-up ' + d:>16}" for d in args.dtypes)
    header += " " + " ".join(f"{'limit ' + d:>14} {'/limit':>7}" for d in args.dtypes)
    print(header)
    speedups = {d: [] for d in args.dtypes}
    for n in args.qubits:
        for layers in args.layers:
            for embedding in args.embeddings:
                genome = Genome(
                    n, embedding, tuple(args.rotations), args.entangler, args.topology, layers
                )
                times = {}
                for backend, dtype_name in backends:
                    torch.manual_seed(0)
                    model = HQNN(genome, 64, 10, backend=backend, dtype=DTYPES[dtype_name])
                    if backend == "simulator":
                        model.to(args.device)
                    batches = [(x.to(DTYPES[dtype_name]), y) for x, y in batches32]
                    timer = fused_step_ms if backend == "simulator" and fused else step_ms
                    times[(backend, dtype_name)] = timer(model, batches, args.warmup)
                row = (
                    f"{n:>6} {layers:>6} {embedding:>9} "
                    f"{'fused' if fused else choose_strategy(genome):>11} "
                    + " ".join(f"{times[key]:>14.3f} ms" for key in backends)
                )
                if not args.no_pennylane:
                    ratios = [
                        times[("pennylane", "float32")] / times[("simulator", d)]
                        for d in args.dtypes
                    ]
                    for d, r in zip(args.dtypes, ratios):
                        speedups[d].append(r)
                    row += " " + " ".join(f"{r:>15.1f}x" for r in ratios)
                for d in args.dtypes:
                    limit = 1e3 * step_flops(genome, args.batch_size) / (rates[d] * 1e9)
                    row += f" {limit:>11.3f} ms {times[('simulator', d)] / limit:>6.1f}x"
                print(row, flush=True)
    if not args.no_pennylane:
        for d, values in speedups.items():
            geo = math.exp(float(np.mean(np.log(values))))
            print(f"simulator {d}: geometric-mean speed-up {geo:.1f}x, minimum {min(values):.1f}x")


if __name__ == "__main__":
    main()
