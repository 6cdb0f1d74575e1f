"""faqnas's HQNN training step against peer simulators: ms per step and seconds per genome.

For every genome of bench_training_step.py's panel (qubits x layers x
embeddings, one fixed gate/entangler choice) the same HQNN (Linear -> circuit
-> Linear -> log-softmax, NLL loss, Adam) is trained on batches of Digits with
the circuit simulated by

- ``faqnas (fused)``: the step training takes on the CPU, one call of the
  compiled kernel (`faqnas.evaluation.fused`); the speed-ups are over it;
- ``faqnas torch``: `faqnas.evaluation.simulator.QuantumLayer` (the strategy
  it picks) stepped in torch, autograd and `faqnas.evaluation.adam.Adam`;
- ``torchquantum``: TorchQuantum's functional gates on a ``tq.QuantumDevice``,
  ``tq.AmplitudeEncoder`` and ``tq.expval``, as a torch module;
- ``tc-torch``: tensorcircuit-ng's ``tc.TorchLayer`` on its pytorch backend
  (vmapped over the batch, default contractor);
- ``tc-jax``: the same tensorcircuit circuit on its jax backend inside a
  whole training step (both Linear layers, loss, gradient, optax Adam)
  compiled by ``jax.jit``.

The torch rows share everything but the circuit: the classical layers and
`faqnas.evaluation.adam.Adam`. Before timing, each peer's circuit is given the
faqnas layer's weights and must reproduce its <Z_w> to 1e-5 (float32), else
the run stops. Peers that are not installed are skipped (bench/README.md).

Reported per genome and backend: ms per step (median of ``--repeats`` steps
after ``--warmup``), set-up (building the layer, compiling, the first step),
and seconds per genome under the search protocol: set-up plus the remaining
steps of ``training.epochs`` epochs over Digits' prepared training split at
``training.batch_size`` (config/config.yaml), at the median step time
(validation is left out). Each peer's row ends with faqnas's speed-up over
it, per step and per genome; their geometric means close the run.
"""

from __future__ import annotations

import argparse
import copy
import functools
import importlib.util
import itertools
import math
import os
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import yaml
from bench_training_step import digits_batches, machine

from faqnas.data.prepare import prepare_dataset
from faqnas.data.registry import dataset_options
from faqnas.evaluation.adam import Adam
from faqnas.evaluation.fused import FusedStep
from faqnas.evaluation.circuits import entangler_pairs
from faqnas.evaluation.model import HQNN
from faqnas.evaluation.simulator import choose_strategy
from faqnas.search.space import Genome

REPO = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-5  # float32 <Z_w> of two exact simulators differ by ~1e-6
PEERS = ("torchquantum", "tc-torch", "tc-jax")
INSTALL = "pip install '.[peers]'"


def parse_args(argv, batch_size: int) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--threads", type=int, default=1, help="threads of torch and XLA (default 1)")
    p.add_argument("--qubits", type=int, nargs="+", default=[2, 4, 6, 8, 10])
    p.add_argument("--layers", type=int, nargs="+", default=[1, 4])
    p.add_argument("--embeddings", nargs="+", default=["angle", "amplitude"])
    p.add_argument("--rotations", nargs=4, default=["RX", "RY", "RZ", "RY"], metavar="GATE")
    p.add_argument("--entangler", default="CNOT", choices=["CNOT", "CZ"])
    p.add_argument("--topology", default="circular", choices=["linear", "circular"])
    p.add_argument("--peers", nargs="+", default=list(PEERS), choices=PEERS)
    p.add_argument(
        "--batch-size", type=int, default=batch_size, help=f"default {batch_size}, the search's"
    )
    p.add_argument("--warmup", type=int, default=3, help="untimed steps, the first included (>= 1)")
    p.add_argument("--repeats", type=int, default=25)
    args = p.parse_args(argv)
    if args.warmup < 1:
        p.error("--warmup must be at least 1: the first step is timed as set-up")
    return args


class PeerUnavailable(Exception):
    """A peer cannot be imported; the message says why and how to install it."""


@dataclass
class Timing:
    step_ms: float  # median steady-state step
    setup_s: float  # building the layer, compiling (JAX), and the first step
    compile_s: float | None = None  # JAX: tracing, lowering and compiling the step

    def genome_s(self, steps: int) -> float:
        return self.setup_s + (steps - 1) * self.step_ms / 1e3


@dataclass
class Peer:
    """A peer simulator.

    ``expectations(genome, weights, z)`` is its <Z_w> for inputs z (B, n)
    with the given circuit weights; ``timing(genome, reference, batches,
    warmup, lr)`` trains the faqnas HQNN ``reference`` (its initial weights,
    its classical layers) with the peer's circuit in place of faqnas's.
    """

    name: str
    version: str
    expectations: Callable[[Genome, torch.Tensor, torch.Tensor], torch.Tensor]
    timing: Callable[..., Timing]


def require(condition: bool, message: str) -> None:
    """Stop the run: timing a peer that computes another function means nothing."""
    if not condition:
        raise AssertionError(message)


def search_steps(config: dict, batch: int) -> tuple[int, str]:
    """Optimiser steps of one genome's training on Digits in a search, and how
    they were counted."""
    rows = len(prepare_dataset("digits", dataset_options(config, "digits")).y_train)
    epochs = config["training"]["epochs"]
    per_epoch = math.ceil(rows / batch)
    return epochs * per_epoch, (
        f"{epochs} epochs x {per_epoch} steps (Digits' training split, {rows} rows, batch {batch})"
    )


def train_torch(build: Callable[[], torch.nn.Module], batches, warmup: int, lr: float) -> Timing:
    """Set-up (``build()`` and the first step) and the median later step, in torch."""
    start = time.perf_counter()
    model = build()
    optimiser = Adam(model.parameters(), lr=lr)
    times = []
    for x, y in batches:
        step_start = time.perf_counter()
        optimiser.zero_grad()
        loss = torch.nn.functional.nll_loss(model(x), y)
        loss.backward()
        optimiser.step()
        times.append(time.perf_counter() - step_start)
        if len(times) == 1:
            setup = time.perf_counter() - start
    return Timing(1e3 * statistics.median(times[warmup:]), setup)


def train_fused(build: Callable[[], HQNN], batches, warmup: int, lr: float) -> Timing:
    """As `train_torch`, with the fused kernel step training takes on the CPU."""
    start = time.perf_counter()
    step = FusedStep(build(), lr=lr)
    rows = torch.arange(len(batches[0][0]))
    times = []
    for x, y in batches:
        step_start = time.perf_counter()
        step(x, y, rows)
        times.append(time.perf_counter() - step_start)
        if len(times) == 1:
            setup = time.perf_counter() - start
    return Timing(1e3 * statistics.median(times[warmup:]), setup)


def torch_peer(
    name: str, version: str, make_layer: Callable[[Genome, torch.Tensor], torch.nn.Module]
) -> Peer:
    """A peer that is a torch module: it replaces the quantum layer of a copy of
    the faqnas HQNN, whose classical layers and initial weights it keeps."""

    def expectations(genome, weights, z):
        with torch.no_grad():
            return make_layer(genome, weights)(z)

    def timing(genome, reference, batches, warmup, lr):
        model = copy.deepcopy(reference)

        def build():
            model.quantum = make_layer(genome, reference.quantum.weights)
            return model

        return train_torch(build, batches, warmup, lr)

    return Peer(name, version, expectations, timing)


def load_torchquantum() -> Peer:
    if importlib.util.find_spec("torchquantum") is None:
        raise PeerUnavailable(
            f"torchquantum not installed: {INSTALL} && "
            "pip install --no-deps torchquantum==0.1.8 torchpack==0.3.1 (bench/README.md)"
        )
    if importlib.util.find_spec("torchvision") is None:
        stand_in_for_torchvision()
    try:
        # qiskit-ibm-runtime warns about pkg_resources on import.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import torchquantum as tq
            import torchquantum.functional as tqf
    except Exception as error:
        raise PeerUnavailable(
            f"torchquantum cannot be imported ({type(error).__name__}: {error}): bench/README.md"
        ) from error
    gates = {"RX": tqf.rx, "RY": tqf.ry, "RZ": tqf.rz}
    entanglers = {"CNOT": tqf.cnot, "CZ": tqf.cz}

    class TorchQuantumLayer(torch.nn.Module):
        """The genome's circuit in TorchQuantum: wire 0 is the first (most
        significant) axis of ``qdev.states``, as in faqnas and PennyLane."""

        def __init__(self, genome: Genome, weights: torch.Tensor):
            super().__init__()
            self.genome = genome
            self.weights = torch.nn.Parameter(weights.detach().clone())
            self.pairs = entangler_pairs(genome.n_qubits, genome.topology)
            # Normalises x and pads it with zeros to 2^n amplitudes.
            self.encoder = tq.AmplitudeEncoder()
            self.observables = [tq.PauliZ() for _ in range(genome.n_qubits)]

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            n = self.genome.n_qubits
            qdev = tq.QuantumDevice(n_wires=n, bsz=x.shape[0], device=x.device)
            if self.genome.embedding == "angle":
                for w in range(n):
                    tqf.ry(qdev, wires=w, params=2 * x[:, w])
            else:
                self.encoder(qdev, x)
            for layer, gate in enumerate(self.genome.active_rotations):
                for w in range(n):
                    gates[gate](qdev, wires=w, params=self.weights[layer, w])
                for pair in self.pairs:
                    entanglers[self.genome.entangler](qdev, wires=list(pair))
            return tq.expval(qdev, list(range(n)), self.observables)

    return torch_peer("torchquantum", f"torchquantum {tq.__version__}", TorchQuantumLayer)


def stand_in_for_torchvision() -> None:
    """Empty torchvision modules with the names TorchQuantum imports.

    Only TorchQuantum's dataset loaders use torchvision, and the registry's
    torchvision wheels are CUDA builds that fail to import next to the CPU
    torch this project pins (``operator torchvision::nms does not exist``).
    """
    import enum
    import sys
    import types

    def module(name: str, **names) -> types.ModuleType:
        sys.modules[name] = types.ModuleType(name)
        sys.modules[name].__dict__.update(names)
        return sys.modules[name]

    modes = enum.Enum("InterpolationMode", "NEAREST BILINEAR BICUBIC")
    torchvision = module("torchvision")
    torchvision.transforms = module("torchvision.transforms", InterpolationMode=modes)
    torchvision.datasets = module("torchvision.datasets", VisionDataset=object)
    torchvision.datasets.utils = module("torchvision.datasets.utils", download_url=None)


def import_tensorcircuit():
    if importlib.util.find_spec("tensorcircuit") is None:
        raise PeerUnavailable(f"tensorcircuit-ng not installed: {INSTALL}")
    import tensorcircuit as tc

    return tc


def tensorcircuit_circuit(tc, genome: Genome, backend_name: str):
    """``f(x, weights) -> <Z_w>`` for one sample, as tensorcircuit circuits are
    written. It sets tensorcircuit's global backend (and complex64), which
    ``f`` needs while it runs or is traced: build it just before."""
    K = tc.set_backend(backend_name)
    tc.set_dtype("complex64")
    n = genome.n_qubits
    pairs = entangler_pairs(n, genome.topology)
    entangler = genome.entangler.lower()

    def f(x, weights):
        if genome.embedding == "angle":
            c = tc.Circuit(n)
            for w in range(n):
                c.ry(w, theta=2 * x[w])
        else:
            # Zero-padded to 2^n amplitudes and normalised; qubit 0 is the
            # most significant bit of the basis index, as in faqnas.
            state = K.concat([x, K.zeros([2**n - n], dtype=x.dtype)], axis=0)
            c = tc.Circuit(n, inputs=K.cast(state / K.norm(state), "complex64"))
        for layer, gate in enumerate(genome.active_rotations):
            for w in range(n):
                getattr(c, gate.lower())(w, theta=weights[layer, w])
            for a, b in pairs:
                getattr(c, entangler)(a, b)
        return K.real(K.stack([c.expectation_ps(z=[w]) for w in range(n)]))

    return f


def load_tc_torch() -> Peer:
    tc = import_tensorcircuit()

    def layer(genome: Genome, weights: torch.Tensor) -> torch.nn.Module:
        module = tc.TorchLayer(
            tensorcircuit_circuit(tc, genome, "pytorch"),
            weights_shape=list(weights.shape),
            use_vmap=True,
            use_interface=False,  # already torch: no conversion, no jit
            use_jit=False,
        )
        with torch.no_grad():
            module.q_weights[0].copy_(weights)
        return module

    return torch_peer("tc-torch", f"tensorcircuit-ng {tc.__version__}, pytorch backend", layer)


def load_tc_jax(threads: int) -> Peer:
    tc = import_tensorcircuit()
    if importlib.util.find_spec("jax") is None or importlib.util.find_spec("optax") is None:
        raise PeerUnavailable(f"jax or optax not installed: {INSTALL}")
    start_jax(threads)
    import jax
    import jax.numpy as jnp
    import optax

    def circuit(genome: Genome):
        return jax.vmap(tensorcircuit_circuit(tc, genome, "jax"), in_axes=(0, None))

    def expectations(genome, weights, z):
        # Op by op, not compiled: the check would otherwise compile the circuit twice.
        out = circuit(genome)(jnp.asarray(z.numpy()), jnp.asarray(weights.numpy()))
        return torch.from_numpy(np.array(out))

    def timing(genome, reference, batches, warmup, lr):
        x0, y0 = batches[0]
        with torch.no_grad():
            expected_loss = float(torch.nn.functional.nll_loss(reference(x0), y0))
        batches = [(jnp.asarray(x.numpy()), jnp.asarray(y.numpy())) for x, y in batches]
        start = time.perf_counter()
        params = {k: jnp.asarray(v.detach().numpy()) for k, v in reference.named_parameters()}
        quantum = circuit(genome)
        optimiser = optax.adam(lr)

        def loss(p, x, y):
            hidden = x @ p["pre.weight"].T + p["pre.bias"]
            logits = quantum(hidden, p["quantum.weights"]) @ p["post.weight"].T + p["post.bias"]
            return -jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], 1).mean()

        def step(p, state, x, y):
            value, grads = jax.value_and_grad(loss)(p, x, y)
            updates, state = optimiser.update(grads, state, p)
            return optax.apply_updates(p, updates), state, value

        state = optimiser.init(params)
        compile_start = time.perf_counter()
        compiled = jax.jit(step).lower(params, state, *batches[0]).compile()
        compile_s = time.perf_counter() - compile_start
        times = []
        for x, y in batches:
            step_start = time.perf_counter()
            params, state, value = compiled(params, state, x, y)
            jax.block_until_ready(params)
            times.append(time.perf_counter() - step_start)
            if len(times) == 1:
                setup = time.perf_counter() - start
                # The whole step is written anew here: its classical part must agree too.
                require(
                    abs(float(value) - expected_loss) < TOLERANCE,
                    f"tc-jax loss {float(value)} != faqnas {expected_loss} "
                    f"on {genome.phenotype_key}",
                )
        return Timing(1e3 * statistics.median(times[warmup:]), setup, compile_s)

    version = (
        f"tensorcircuit-ng {tc.__version__}, jax backend, jax {jax.__version__}, "
        f"optax {optax.__version__}"
    )
    return Peer("tc-jax", version, expectations, timing)


def start_jax(threads: int) -> None:
    """Start JAX's CPU backend with a pool of ``threads`` threads.

    XLA sizes its pool by the CPUs the process may run on when the backend
    starts and has no flag for it (``--xla_cpu_multi_thread_eigen=false`` no
    longer limits it): start it with that many CPUs, then give the rest back.
    """
    import jax

    mask = os.sched_getaffinity(0)
    os.sched_setaffinity(0, set(sorted(mask)[:threads]))
    try:
        jax.devices()
    finally:
        os.sched_setaffinity(0, mask)


def load_peers(names: list[str], threads: int) -> list[Peer]:
    loaders = {
        "torchquantum": load_torchquantum,
        "tc-torch": load_tc_torch,
        "tc-jax": lambda: load_tc_jax(threads),
    }
    peers = []
    for name in names:
        try:
            peers.append(loaders[name]())
        except PeerUnavailable as reason:
            print(f"skipped {name}: {reason}")
    return peers


def faqnas_model(genome: Genome) -> HQNN:
    """The HQNN faqnas trains for ``genome`` on Digits (64 features, 10 classes),
    the same initial weights on every call."""
    torch.manual_seed(0)
    return HQNN(genome, 64, 10)


def check_equal(peer: Peer, genome: Genome, reference: HQNN, z: torch.Tensor) -> float:
    """Max |<Z_w> difference| between the peer and faqnas on inputs z, with
    faqnas's circuit weights; stops the run above `TOLERANCE`."""
    weights = reference.quantum.weights.detach()
    with torch.no_grad():
        expected = reference.quantum(z)
    difference = float((peer.expectations(genome, weights, z) - expected).abs().max())
    require(
        difference < TOLERANCE,
        f"{peer.name} differs from faqnas on {genome.phenotype_key}: max |d<Z>| = {difference:.2e}",
    )
    return difference


def geometric_mean(values: list[float]) -> float:
    return math.exp(float(np.mean(np.log(values))))


def main(argv=None) -> None:
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    args = parse_args(argv, config["training"]["batch_size"])
    torch.set_num_threads(args.threads)
    lr = config["training"]["lr"]
    steps, how = search_steps(config, args.batch_size)
    print(f"machine: {machine()}")
    print(
        f"genomes: rotations {'-'.join(args.rotations)} (first n_layers active), "
        f"{args.entangler} {args.topology}; Digits d=64, 10 classes, batch {args.batch_size}"
    )
    print(
        f"step = forward + NLL + backward + Adam (lr {lr}); median of {args.repeats} steps "
        f"after {args.warmup} warm-up; float32"
    )
    print(f"per genome = set-up (layer, compilation, first step) + {steps - 1} steps: {how}")
    peers = load_peers(args.peers, args.threads)
    for peer in peers:
        print(f"{peer.name}: {peer.version}")
    print(
        f"{'qubits':>6} {'layers':>6} {'embedding':>9} {'backend':>20} {'max|d<Z>|':>9} "
        f"{'ms/step':>9} {'set-up s':>8} {'compile s':>9} {'s/genome':>8} "
        f"{'faqnas faster: step':>19} {'genome':>7}"
    )
    ratios = {peer.name: {"step": [], "genome": []} for peer in peers}
    batches = digits_batches(args.batch_size, args.warmup + args.repeats, torch.float32)
    for n, layers, embedding in itertools.product(args.qubits, args.layers, args.embeddings):
        genome = Genome(n, embedding, tuple(args.rotations), args.entangler, args.topology, layers)
        label = f"{n:>6} {layers:>6} {embedding:>9}"
        # What training takes (one fused kernel call a step), and the same
        # HQNN stepped in torch on the layer's strategy; peers are compared
        # with the first.
        build = functools.partial(faqnas_model, genome)
        own = train_fused(build, batches, args.warmup, lr)
        own_torch = train_torch(build, batches, args.warmup, lr)
        for name, timing in (("faqnas (fused)", own),
                             (f"faqnas torch ({choose_strategy(genome)})", own_torch)):
            print(
                f"{label} {name:>20} {'':>9} {timing.step_ms:>9.3f} {timing.setup_s:>8.3f} "
                f"{'':>9} {timing.genome_s(steps):>8.3f}",
                flush=True,
            )
        reference = faqnas_model(genome)
        with torch.no_grad():
            z = reference.pre(batches[0][0])
        for peer in peers:
            difference = check_equal(peer, genome, reference, z)
            timing = peer.timing(genome, reference, batches, args.warmup, lr)
            step_ratio = timing.step_ms / own.step_ms
            genome_ratio = timing.genome_s(steps) / own.genome_s(steps)
            ratios[peer.name]["step"].append(step_ratio)
            ratios[peer.name]["genome"].append(genome_ratio)
            compile_s = "" if timing.compile_s is None else f"{timing.compile_s:.3f}"
            print(
                f"{label} {peer.name:>20} {difference:>9.1e} {timing.step_ms:>9.3f} "
                f"{timing.setup_s:>8.3f} {compile_s:>9} {timing.genome_s(steps):>8.3f} "
                f"{step_ratio:>18.1f}x {genome_ratio:>6.1f}x",
                flush=True,
            )
    for name, values in ratios.items():
        step, genome = values["step"], values["genome"]
        print(
            f"faqnas faster than {name}: geometric mean {geometric_mean(step):.1f}x per step "
            f"(min {min(step):.1f}x, max {max(step):.1f}x), {geometric_mean(genome):.1f}x per "
            f"genome (min {min(genome):.1f}x, max {max(genome):.1f}x)"
        )


if __name__ == "__main__":
    main()
