"""Rule ``final_figure``: the re-trained architectures' accuracy against F_Q."""

from __future__ import annotations

import pandas as pd

from faqnas.records import read_json
from faqnas.reporting.plots import plot_final


def final_figure(table_path: str, summary_path: str, out: str, *, dataset: str) -> None:
    """Draw ``final.tsv`` (`faqnas.reporting.plots.plot_final`).

    Args:
        table_path: the dataset's ``final.tsv``.
        summary_path: its ``final.json`` (what the accuracies were scored on).
        out: the figure (PNG).
        dataset: the dataset's name, for the title.
    """
    summary = read_json(summary_path)
    plot_final(
        pd.read_csv(table_path, sep="\t"),
        summary["scored_on"],
        out,
        f"{dataset}: Pareto set re-trained with {summary['seeds']} seeds",
    )
