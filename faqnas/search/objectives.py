"""What a search minimises: the objectives of a record, in one place.

A FLOPs-aware search (the paper's) minimises (F_Q, 1 - accuracy, params); the
FLOPs-agnostic baseline the same without F_Q; the accuracy-only baseline
1 - accuracy alone (NSGA-II then reduces to an elitist genetic algorithm).
The mode travels as one of ``OBJECTIVE_MODES`` everywhere: in the config
(whose schema lists the same names, tests/test_config.py), the records'
folders, the status files and the functions below.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

FLOPS_AWARE = "flops_aware"
FLOPS_AGNOSTIC = "flops_agnostic"
ACCURACY_ONLY = "accuracy_only"
OBJECTIVE_MODES = (FLOPS_AWARE, FLOPS_AGNOSTIC, ACCURACY_ONLY)
# How many objectives each mode minimises (records' schema and `mode_of`).
N_OBJECTIVES = {FLOPS_AWARE: 3, FLOPS_AGNOSTIC: 2, ACCURACY_ONLY: 1}


def objectives(record: dict, mode: str) -> list[float]:
    """The vector a search of ``mode`` minimises for ``record``.

    Args:
        record: a record (or evaluation) with ``accuracy``, ``flops.quantum``
            and ``params.total``.
        mode: one of ``OBJECTIVE_MODES``.

    Returns:
        ``[F_Q, 1 - accuracy, params]``, ``[1 - accuracy, params]`` for
        the FLOPs-agnostic baseline or ``[1 - accuracy]`` for the
        accuracy-only one, as floats.

    Raises:
        ValueError: ``mode`` is not one of ``OBJECTIVE_MODES``.
    """
    if mode not in OBJECTIVE_MODES:
        raise ValueError(f"objectives must be one of {list(OBJECTIVE_MODES)}, got {mode!r}")
    error = 1.0 - record["accuracy"]
    if mode == ACCURACY_ONLY:
        return [error]
    rest = [error, float(record["params"]["total"])]
    return [float(record["flops"]["quantum"]), *rest] if mode == FLOPS_AWARE else rest


def mode_of(vector: Sequence[float]) -> str:
    """The mode whose objectives have the length of ``vector``.

    Raises:
        ValueError: no mode has that many objectives.
    """
    for mode, length in N_OBJECTIVES.items():
        if len(vector) == length:
            return mode
    raise ValueError(f"{len(vector)} objectives; a search minimises 1, 2 or 3")


def objective_matrix(records: Sequence[dict]) -> np.ndarray:
    """The stored ``objectives`` of ``records`` as rows of a float matrix.

    Records are checked against their own fields when they are read
    (`faqnas.records.check_record`), so the stored vector is the one the
    search minimised.
    """
    return np.array([r["objectives"] for r in records], dtype=float)
