"""Rules ``accuracy_vs_flops``, ``hypervolume`` and ``circuits``: the figures
of a finished search."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

import pandas as pd

from faqnas.evaluation.circuits import draw_figure
from faqnas.records import read_json, read_record
from faqnas.reporting.plots import pareto_label, plot_accuracy_vs_flops, plot_hypervolume
from faqnas.search.objectives import mode_of
from faqnas.search.space import Genome, SearchSpace


def accuracy_vs_flops(
    record_paths: Sequence[str], pareto_path: str, outputs: Sequence[str], *, space: dict, title: str
) -> None:
    """The paper's figure (accuracy against classical, quantum and total FLOPs).

    Args:
        record_paths: every record of the search.
        pareto_path: the search's ``pareto.json``.
        outputs: files to write, one per format (by suffix: png, svg, ...).
        space: the ``search_space`` config.
        title: the figure's title.

    Raises:
        RecordError: a record is not valid.
    """
    space = SearchSpace(space)
    records = [read_record(path, space) for path in record_paths]
    pareto_keys = [r["phenotype_key"] for r in read_json(pareto_path)]
    for path in outputs:
        plot_accuracy_vs_flops(records, pareto_keys, path,
                               f"{title}: {len(records)} evaluated genomes",
                               pareto_label(mode_of(records[0]["objectives"])))


def hypervolume(progress_path: str, out: str) -> None:
    """Hypervolume of the rank-0 front per generation, from ``progress.tsv``."""
    progress = pd.read_csv(progress_path, sep="\t")
    last = progress.iloc[-1]
    plot_hypervolume(
        progress["hypervolume"].tolist(), int(last["generation"]), last["reason"], out
    )


def circuits(summary_path: str, compromise_path: str, folder: str) -> None:
    """Drawings of the compromise circuit and the top-K circuits.

    Writes ``compromise.png`` and ``top1.png`` ... ``topK.png`` into ``folder``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    chosen = {"compromise": read_json(compromise_path)}
    for rank, entry in enumerate(read_json(summary_path)["top_k"], start=1):
        chosen[f"top{rank}"] = entry
    for name, entry in chosen.items():
        draw_figure(Genome.from_genes(entry["genes"]), folder / f"{name}.png")
        print(f"{name}: {entry['phenotype_key']}", file=sys.stderr)
