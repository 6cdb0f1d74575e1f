"""What a finished search of one dataset hands to the user: the Pareto set,
top-K, the compromise genome, every evaluation as a table, and the progress
of the search per generation."""

from __future__ import annotations

import pandas as pd

from . import summary
from .nsga2 import should_stop


def stop_decisions(statuses: list[dict], max_generations: int, patience: int) -> list[dict]:
    """Each generation's status with the stop decision and its reason filled in."""
    out = []
    for generation, status in enumerate(statuses):
        stop, reason = should_stop(generation, status["stagnation"], max_generations, patience)
        out.append({**status, "stop": stop, "reason": reason})
    return out


def evaluations_table(records: list[dict]) -> pd.DataFrame:
    """One row per evaluated genome, in the order they were evaluated."""
    return pd.DataFrame(
        [
            {
                "generation": r["generation"],
                "index": r["index"],
                **summary.record_row(r),
                "diverged": r["training"]["diverged"],
                "train_s": r["wall_time_s"]["train"],
                "profile_s": r["wall_time_s"]["profile"],
            }
            for r in records
        ]
    )


def progress_table(populations: list[dict], statuses: list[dict], records: list[dict]) -> pd.DataFrame:
    """Per generation: evaluations so far, rank-0 size, hypervolume, stop decision."""
    hv = summary.hypervolume_per_generation(populations, summary.objective_bounds(records))
    return pd.DataFrame(
        {
            "generation": [s["generation"] for s in statuses],
            "n_evaluated": [s["n_evaluated"] for s in statuses],
            "rank0_size": [len(s["rank0_front"]) for s in statuses],
            "stagnation": [s["stagnation"] for s in statuses],
            "hypervolume": hv,
            "stop": [s["stop"] for s in statuses],
            "reason": [s["reason"] for s in statuses],
        }
    )


def search_wall_time(records: list[dict]) -> float:
    """From the first genome job's start to the last one's end."""
    started = min(r["timestamps"]["started"] for r in records)
    return max(r["timestamps"]["finished"] for r in records) - started


def markdown_table(table: pd.DataFrame) -> str:
    header = "| " + " | ".join(map(str, table.columns)) + " |"
    rule = "|" + "---|" * len(table.columns)
    rows = ["| " + " | ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in row) + " |"
            for row in table.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def markdown_report(summary: dict, pareto: pd.DataFrame, progress: pd.DataFrame) -> str:
    """A dataset's results as one page, readable on GitHub or in an editor."""
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
