"""Rule ``summary``: the searches of every dataset side by side."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from faqnas.records import read_json
from faqnas.reporting.plots import plot_summary

COLUMNS = [
    "dataset",
    "best_accuracy",
    "cheapest_F_Q",
    "cheapest_accuracy",
    "cheapest_phenotype_key",
    "n_evaluations",
    "generations",
    "wall_time_s",
    "stop_reason",
]


def summary(summary_paths: Sequence[str], table_path: str, figure_path: str) -> None:
    """One row per dataset from each search's ``summary.json``, and its figure."""
    table = pd.DataFrame([read_json(path) for path in summary_paths])[COLUMNS]
    table.to_csv(table_path, sep="\t", index=False)
    plot_summary(table, figure_path)
