"""faqnas' compiled kernels (`faqnas.native`): their build, their cache, and
what the ``native`` strategy does where they cannot run. (The strategy's
equality with PennyLane is in test_circuits_simulator.py, with every other
strategy's; the fused step's with torch in test_fused.py.)"""

import os
import subprocess
import sys
import textwrap

import pytest
import torch

from faqnas import native
from faqnas.evaluation.simulator import QuantumLayer
from faqnas.search.space import Genome

WIDE = Genome(9, "angle", ("RX", "RY", "RZ", "RY"), "CNOT", "circular", 3)


def _run(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=300,
    )


def test_build_is_cached_per_source(tmp_path, monkeypatch):
    first = native.build()
    modified = first.stat().st_mtime_ns
    assert native.build() == first and first.stat().st_mtime_ns == modified
    # Another source is another file: a stale kernel is never loaded.
    edited = tmp_path / "step.cpp"
    edited.write_text(native.SOURCES[1].read_text() + "// edited\n")
    monkeypatch.setattr(native, "SOURCES", (native.SOURCES[0], edited))
    assert native.library_path(native.compiler()) != first


def test_without_a_compiler_layers_warn_and_take_the_torch_strategy(tmp_path):
    # A fresh cache and no compiler: the circuit's torch strategy takes over.
    result = _run(
        """
        import warnings, torch
        from faqnas.evaluation.simulator import QuantumLayer
        from faqnas.search.space import Genome
        genome = Genome(9, "angle", ("RX", "RY", "RZ", "RY"), "CNOT", "circular", 3)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            layer = QuantumLayer(genome, dtype=torch.float64)
        assert layer(torch.randn(5, 9, dtype=torch.float64)).shape == (5, 9)
        print(layer.strategy)
        print(caught[0].message)
        """,
        CXX="/nonexistent/c++", FAQNAS_CACHE=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("statevector\n")
    assert "no C++ compiler found (CXX='/nonexistent/c++'" in result.stdout
    assert "torch strategies instead" in result.stdout
    assert not list(tmp_path.glob("*.so"))


def test_a_failing_build_names_the_source_and_the_compiler_output(tmp_path):
    fake = tmp_path / "c++"
    fake.write_text("#!/bin/sh\necho 'fatal: out of quota' >&2\nexit 1\n")
    fake.chmod(0o755)
    result = _run(
        """
        from faqnas import native
        try:
            native.load()
        except native.NativeUnavailable as exc:
            print(exc)
        """,
        CXX=str(fake), FAQNAS_CACHE=str(tmp_path / "cache"),
    )
    assert result.returncode == 0, result.stderr
    assert f"{fake} failed to build faqnas' kernels" in result.stdout
    assert "fatal: out of quota" in result.stdout


def test_off_the_cpu_the_layer_runs_its_torch_strategy(monkeypatch):
    # No GPU here: a "meta" tensor stands for any device but the CPU.
    layer = QuantumLayer(WIDE, dtype=torch.float64)
    assert layer.strategy == "native" and layer.circuit.fallback is None
    out = layer.circuit(torch.empty(4, 9, dtype=torch.float64, device="meta"),
                        layer.weights.to("meta"))
    assert out.shape == (4, 9) and out.device.type == "meta"
    assert type(layer.circuit.fallback).__name__ == "StateVectorCircuit"


def test_backward_consumes_the_final_states():
    layer = QuantumLayer(WIDE, dtype=torch.float64)
    assert layer.strategy == "native"
    out = layer(torch.randn(3, 9, dtype=torch.float64)).sum()
    out.backward(retain_graph=True)
    with pytest.raises(RuntimeError, match="runs once per forward pass"):
        out.backward()


@pytest.mark.parametrize("embedding", ["angle", "amplitude"])
def test_batch_columns_are_independent(embedding):
    # Each sample's output and input gradient must not depend on the others
    # in the batch (the kernel vectorises across them).
    genome = Genome(7, embedding, ("RY", "RX", "RZ", "RX"), "CZ", "circular", 4)
    torch.manual_seed(5)
    layer = QuantumLayer(genome, dtype=torch.float64)
    x = torch.randn(37, 7, dtype=torch.float64, requires_grad=True)
    layer(x).square().sum().backward()
    single = x[11:12].detach().clone().requires_grad_()
    out = layer(single)
    out.square().sum().backward()
    assert torch.allclose(out, layer(x)[11:12], rtol=0, atol=1e-13)
    assert torch.allclose(single.grad, x.grad[11:12], rtol=0, atol=1e-13)


def test_without_a_compiler_training_warns_and_takes_torch_steps(tmp_path):
    result = _run(
        """
        import warnings, numpy as np, torch
        from faqnas.evaluation.model import HQNN
        from faqnas.evaluation.train import Protocol, train
        from faqnas.search.space import Genome
        genome = Genome(2, "angle", ("RX", "RY", "RZ", "RY"), "CNOT", "linear", 2)
        x = np.random.default_rng(0).normal(size=(40, 3)).astype(np.float32)
        y = (x[:, 0] > 0).astype(np.int64)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = train(HQNN(genome, 3, 2), x, y, x, y, Protocol(epochs=2), 0)
        assert len(result["loss_per_epoch"]) == 2
        print(" | ".join(str(w.message) for w in caught))
        """,
        CXX="/nonexistent/c++", FAQNAS_CACHE=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "no C++ compiler found" in result.stdout and "trains in torch instead" in result.stdout
