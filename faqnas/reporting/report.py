"""Rule ``dataset_report``: a search's results on one Markdown page (``report.md``)."""

from __future__ import annotations

import pandas as pd

from faqnas.records import read_json
from faqnas.reporting.tables import markdown_table


def report_markdown(summary: dict, pareto: pd.DataFrame, progress: pd.DataFrame) -> str:
    """A search's results as one page, readable on GitHub or in an editor.

    Args:
        summary: the search's ``summary.json``.
        pareto: its ``pareto.tsv``.
        progress: its ``progress.tsv``.
    """
    name = summary["dataset"]
    return f"""# faqnas search on {name}

- Genomes evaluated: {summary['n_evaluations']} over {summary['generations']} generation(s)
- Stopped because: {summary['stop_reason']}
- Best validation accuracy: {summary['best_accuracy']:.4f}
- Cheapest genome within one accuracy point of the best: `{summary['cheapest_phenotype_key']}`
  (accuracy {summary['cheapest_accuracy']:.4f}, F_Q {summary['cheapest_F_Q']})
- Compromise genome (closest to the ideal point): `{summary['compromise']}`
- Wall time of the genome jobs: {summary['wall_time_s']:.1f} s

![Accuracy against classical, quantum and total FLOPs](figures/accuracy_vs_flops.png)

## Pareto set ({summary['pareto_size']} genomes)

{markdown_table(pareto)}

## Progress per generation

{markdown_table(progress)}

![Hypervolume per generation](figures/hypervolume.png)

## Compromise circuit

![Compromise circuit](figures/circuits/compromise.png)
"""


def dataset_report(summary_path: str, pareto_path: str, progress_path: str, out: str) -> None:
    """Write ``report.md`` from a finished search's summary and tables."""
    text = report_markdown(
        read_json(summary_path),
        pd.read_csv(pareto_path, sep="\t"),
        pd.read_csv(progress_path, sep="\t", keep_default_na=False),
    )
    with open(out, "w") as handle:
        handle.write(text)
