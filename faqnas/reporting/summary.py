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
    "compromise",
]


def summary(
    summary_paths: Sequence[str], final_paths: Sequence[str], table_path: str, figure_path: str
) -> None:
    """One row per dataset, and its figure.

    Args:
        summary_paths: each dataset's search ``summary.json``.
        final_paths: each dataset's ``final.json``, in the same order.
        table_path: ``summary.tsv``: the search's best accuracy and cheapest
            genome within a point of it, its size and stop reason, and the
            compromise genome's accuracy in the search against its mean final
            accuracy (test split, or validation under the paper's protocol)
            with the 95 % interval.
        figure_path: ``summary.png``.
    """
    rows = []
    for search_path, final_path in zip(summary_paths, final_paths):
        search, final = read_json(search_path), read_json(final_path)
        chosen = final["compromise"] or {}
        rows.append({
            **{column: search[column] for column in COLUMNS},
            "compromise_search_accuracy": chosen.get("search_accuracy"),
            "compromise_final_accuracy": chosen.get("test_accuracy_mean"),
            "compromise_final_ci95_low": chosen.get("test_accuracy_ci95_low"),
            "compromise_final_ci95_high": chosen.get("test_accuracy_ci95_high"),
            "final_scored_on": final["scored_on"],
            "seed_noise": final["seed_noise"],
            "kendall_tau": final["kendall_tau"],
        })
    table = pd.DataFrame(rows)
    table.to_csv(table_path, sep="\t", index=False)
    plot_summary(table, figure_path)
