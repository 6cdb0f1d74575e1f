"""On a machine with a GPU: the simulator on CUDA equals the simulator on CPU.

CI has no GPU, so this is a script rather than a test; run it where one is
lent. It prints the largest difference per genome and strategy and exits
non-zero if any exceeds 1e-10 (float64).
"""

import sys

import torch

from faqnas.evaluation.simulator import QuantumLayer, choose_strategy
from faqnas.search.space import Genome

PANEL = [
    Genome(2, "amplitude", ("RY", "RZ", "RX", "RY"), "CZ", "circular", 4),
    Genome(5, "amplitude", ("RY", "RX", "RZ", "RX"), "CZ", "linear", 2),
    Genome(7, "angle", ("RY", "RZ", "RX", "RZ"), "CZ", "circular", 3),
    Genome(10, "angle", ("RX", "RY", "RZ", "RX"), "CNOT", "linear", 4),
    Genome(6, "angle", ("RY", "RZ", "RZ", "RX"), "CNOT", "circular", 3),
]


def outputs_and_grads(layer, x, cotangent):
    x = x.detach().clone().requires_grad_()
    out = layer(x)
    return (out, *torch.autograd.grad(out, (x, layer.weights), cotangent))


def main() -> int:
    if not torch.cuda.is_available():
        print("no CUDA device")
        return 2
    worst = 0.0
    for genome in PANEL:
        torch.manual_seed(5)
        layer = QuantumLayer(genome, dtype=torch.float64)
        x = torch.randn(64, genome.n_qubits, dtype=torch.float64)
        cotangent = torch.randn(64, genome.n_qubits, dtype=torch.float64)
        cpu = outputs_and_grads(layer, x, cotangent)
        gpu = outputs_and_grads(layer.cuda(), x.cuda(), cotangent.cuda())
        diff = max(float((a - b.cpu()).abs().max()) for a, b in zip(cpu, gpu))
        worst = max(worst, diff)
        print(f"{genome.phenotype_key:40s} {choose_strategy(genome):12s} max |cpu - cuda| = {diff:.2e}")
    return 0 if worst <= 1e-10 else 1


if __name__ == "__main__":
    sys.exit(main())
