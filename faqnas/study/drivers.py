"""What accuracy follows over a whole table: quantum FLOPs, classical FLOPs,
qubits.

Both FLOP counts grow with the number of qubits n: the classical ones are
4·d·n + 6·n·C, a function of n alone on a dataset, and F_Q grows with n
besides depth, embedding and entanglers. A plain rank correlation of
accuracy with either therefore mostly measures n. The claim "quantum FLOPs
drive accuracy" is read as the partial rank correlation of accuracy with F_Q
given n (`faqnas.study.stats.partial_spearman`): what F_Q adds beyond the
qubit count. The same given n for classical FLOPs is undefined (they do not
vary at fixed n), which is the paper's "classical FLOPs remain largely
fixed": by design, not a finding. Accuracy is each phenotype's test
accuracy averaged over the table's seeds; intervals are percentile
bootstraps over phenotypes.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from faqnas.search.seeds import derive_seed
from faqnas.study.stats import RESAMPLES, interval, partial_spearman

# (name, variable, given the qubits or not), in the page's order. Classical
# FLOPs grow with n alone, so their plain correlation is that with n.
CORRELATIONS = (
    ("F_Q | n_qubits", "F_Q", True),
    ("F_classical | n_qubits", "F_classical", True),
    ("F_Q", "F_Q", False),
    ("F_classical", "F_classical", False),
)


def drivers(means: pd.DataFrame, dataset: str, resamples: int = RESAMPLES) -> dict:
    """Rank correlations of accuracy with each kind of cost, plain and given n.

    Args:
        means: `faqnas.study.phenotypes.phenotype_means`.
        dataset: seeds the bootstraps.
        resamples: bootstrap resamples.

    Returns:
        ``{"phenotypes", "correlations": {name: {"rho", "ci"}}}`` for the
        names of `CORRELATIONS`; ``rho`` and ``ci`` are None where the
        correlation is undefined (a variable constant within every qubit
        count).
    """
    scored = means.dropna(subset=["test_accuracy"])
    accuracy = scored["test_accuracy"].to_numpy(dtype=float)
    qubits = scored["n_qubits"].to_numpy()
    strata = np.unique(qubits, return_inverse=True)[1]
    out = {}
    for name, column, given in CORRELATIONS:
        groups = strata if given else np.zeros_like(strata)
        x = scored[column].to_numpy(dtype=float)
        rho = partial_spearman(accuracy, x, groups)
        ci = None
        if not math.isnan(rho):
            ci = interval([accuracy, x, groups], partial_spearman,
                          derive_seed(0, dataset, "drivers", name), resamples)
        out[name] = {"rho": None if math.isnan(rho) else rho, "ci": ci}
    return {"phenotypes": len(scored), "correlations": out}
