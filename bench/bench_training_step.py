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
    print(
        f"step = forward + NLL + backward + faqnas.adam.Adam; median of {args.repeats} steps "
        f"after {args.warmup} warm-up; PennyLane: TorchLayer, default.qubit, backprop"
    )
    batches32 = digits_batches(args.batch_size, args.warmup + args.repeats, torch.float32)
    backends = ([] if args.no_pennylane else [("pennylane", "float32")]) + [
        ("simulator", d) for d in args.dtypes
    ]
    names = [f"{b} {d}" if b == "simulator" else b for b, d in backends]
    print(f"simulator rows on {args.device}")
    header = f"{'qubits':>6} {'layers':>6} {'embedding':>9} {'strategy':>11} " + " ".join(
        f"{n:>17}" for n in names
    )
    if not args.no_pennylane:
        header += " " + " ".join(f"{'speed-up ' + d:>16}" for d in args.dtypes)
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
                    times[(backend, dtype_name)] = step_ms(model, batches, args.warmup)
                row = (
                    f"{n:>6} {layers:>6} {embedding:>9} {choose_strategy(genome):>11} "
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
                print(row, flush=True)
    if not args.no_pennylane:
        for d, values in speedups.items():
            geo = math.exp(float(np.mean(np.log(values))))
            print(f"simulator {d}: geometric-mean speed-up {geo:.1f}x, minimum {min(values):.1f}x")


if __name__ == "__main__":
    main()
