"""Reading the published tables: a dataset's benchmark, its description and
the FLOPs table."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from faqnas.records import read_json

# docs/tables/ of the checkout faqnas is installed from (editable install).
TABLES = Path(__file__).resolve().parents[2] / "docs" / "tables"
FLOPS_TABLE = "flops.tsv.gz"


def load(dataset: str, folder: str | Path = TABLES) -> pd.DataFrame:
    """A dataset's tabular benchmark: one row per (phenotype, run seed).

    Args:
        dataset: ``iris``, ``wine``, ``breast_cancer`` or ``digits``.
        folder: where the tables are (docs/tables of this checkout).

    Returns:
        The table; docs/tables/README.md documents its columns. The
        per-epoch accuracies are lists.

    Raises:
        FileNotFoundError: no table for ``dataset``; the message lists those there are.
    """
    path = Path(folder) / f"{dataset}.tsv.gz"
    if not path.exists():
        there = sorted(
            p.name.removesuffix(".tsv.gz")
            for p in Path(folder).glob("*.tsv.gz")
            if p.name != FLOPS_TABLE
        )
        raise FileNotFoundError(f"no table {path}; tables there: {there}")
    return read_table(path)


def read_table(path: str | Path) -> pd.DataFrame:
    """The tabular benchmark in file ``path``, per-epoch accuracies as lists.

    Raises:
        FileNotFoundError: there is no such file.
    """
    table = pd.read_csv(path, sep="\t")
    for column in ("val_accuracy_per_epoch", "test_accuracy_per_epoch"):
        table[column] = table[column].map(json.loads)
    return table


def describe(dataset: str, folder: str | Path = TABLES) -> dict:
    """How a dataset's table was made: ``docs/tables/{dataset}.json``.

    Returns:
        Seeds, search space, training and data options, split sizes
        (``split``: ``n_train``, ``n_val``, ``n_test``), the dataset's
        ``n_features`` and ``n_classes``, versions and commit.

    Raises:
        FileNotFoundError: there is no description.
    """
    return read_json(Path(folder) / f"{dataset}.json")


def load_flops(folder: str | Path = TABLES) -> pd.DataFrame:
    """The FLOPs table (``flops.tsv.gz``): F_Q of every circuit of the space.

    Returns:
        One row per phenotype: ``phenotype_key``, ``F_Q``, ``F_Q_analytic``,
        ``quantum_params``, ``torch``, ``pennylane`` (versions as text).

    Raises:
        FileNotFoundError: there is no FLOPs table in ``folder``.
    """
    return read_flops(Path(folder) / FLOPS_TABLE)


def read_flops(path: str | Path) -> pd.DataFrame:
    """The FLOPs table in file ``path`` (see `load_flops`)."""
    # "0.50" must stay a version, not become the number 0.5.
    return pd.read_csv(path, sep="\t", dtype={"torch": str, "pennylane": str})


def flops_entries(flops: pd.DataFrame) -> dict[str, dict]:
    """The FLOPs table as the mapping a replay reads: key -> ``{"quantum": F_Q}``."""
    return {key: {"quantum": int(q)} for key, q in zip(flops["phenotype_key"], flops["F_Q"])}
