"""Rule ``dataset_report``: a search's results on one Markdown page (``report.md``)."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from faqnas.records import read_json
from faqnas.reporting.tables import markdown_table


def final_markdown(final: dict, table: pd.DataFrame) -> str:
    """The final stage's section of a report page.

    Args:
        final: the dataset's ``final.json``.
        table: its ``final.tsv``.
    """
    scored = final["scored_on"]
    caveat = (
        "" if scored == "test" else
        "\n**No test split** (`data.protocol: paper`): these are validation "
        "accuracies on the split that also selected the architectures, so they are optimistic.\n"
    )
    chosen = final["compromise"]
    compromise = (
        f"- Compromise genome `{chosen['phenotype_key']}`: {scored} accuracy "
        f"{chosen['test_accuracy_mean']:.4f} (95 % interval "
        f"{_fmt(chosen['test_accuracy_ci95_low'])}–{_fmt(chosen['test_accuracy_ci95_high'])}), "
        f"against {chosen['search_accuracy']:.4f} in the search\n"
        if chosen else ""
    )
    columns = ["phenotype_key", "compromise", "seeds", "test_accuracy_mean", "test_accuracy_sd",
               "test_accuracy_ci95_low", "test_accuracy_ci95_high", "validation_accuracy_mean",
               "search_accuracy", "F_Q", "params"]
    return f"""## Final re-training ({final['architectures']} architectures × {final['seeds']} seeds)
{caveat}
{compromise}- Training-seed noise (mean standard deviation of the {scored} accuracy over seeds): {_fmt(final['seed_noise'])}
- How well the search's accuracy ranks the re-trained architectures (Kendall τ): {_fmt(final['kendall_tau'])} (p = {_fmt(final['kendall_tau_pvalue'])})

![Re-trained accuracy against F_Q](figures/final_accuracy_vs_flops.png)

{markdown_table(table[columns])}
"""


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def report_markdown(
    summary: dict, pareto: pd.DataFrame, progress: pd.DataFrame, final: str = ""
) -> str:
    """A search's results as one page, readable on GitHub or in an editor.

    Args:
        summary: the search's ``summary.json``.
        pareto: its ``pareto.tsv``.
        progress: its ``progress.tsv``.
        final: the final stage's section (`final_markdown`), if any.
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

{final}"""


def dataset_report(
    summary_path: str,
    pareto_path: str,
    progress_path: str,
    final_paths: Sequence[str],
    out: str,
) -> None:
    """Write ``report.md`` from a finished search's summary and tables.

    Args:
        summary_path, pareto_path, progress_path: the search's ``summary.json``,
            ``pareto.tsv`` and ``progress.tsv``.
        final_paths: the dataset's ``final.tsv`` and ``final.json`` (and the
            figure) for the configured search, empty for a study's others.
        out: ``report.md``.
    """
    final = ""
    if final_paths:
        table_path, final_path = final_paths[0], final_paths[1]
        final = final_markdown(read_json(final_path), pd.read_csv(table_path, sep="\t"))
    text = report_markdown(
        read_json(summary_path),
        pd.read_csv(pareto_path, sep="\t"),
        pd.read_csv(progress_path, sep="\t", keep_default_na=False),
        final,
    )
    with open(out, "w") as handle:
        handle.write(text)
