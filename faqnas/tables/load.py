"""Reading a published table."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

# docs/tables/ of the checkout faqnas is installed from (editable install).
TABLES = Path(__file__).resolve().parents[2] / "docs" / "tables"


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
        there = sorted(p.name.removesuffix(".tsv.gz") for p in Path(folder).glob("*.tsv.gz"))
        raise FileNotFoundError(f"no table {path}; tables there: {there}")
    table = pd.read_csv(path, sep="\t")
    for column in ("val_accuracy_per_epoch", "test_accuracy_per_epoch"):
        table[column] = table[column].map(json.loads)
    return table
