"""Tables of a search, one flat row per record, for TSV files and pages."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from faqnas.records import Population, Record
from faqnas.search import pareto


def record_row(r: Record) -> dict:
    """A record as one flat table row: key, genes, accuracy, FLOPs, params."""
    return {
        "phenotype_key": r["phenotype_key"],
        **r["genes"],
        "accuracy": r["accuracy"],
        "F_Q": r["flops"]["quantum"],
        "F_classical": r["flops"]["classical"],
        "F_total": r["flops"]["total"],
        "F_Q_analytic": r["flops"]["quantum_analytic"],
        "params": r["params"]["total"],
    }


def evaluations_table(records: Sequence[Record]) -> pd.DataFrame:
    """One row per evaluated genome, in the order they were evaluated."""
    return pd.DataFrame(
        [
            {
                "generation": r["generation"],
                "index": r["index"],
                **record_row(r),
                "diverged": r["training"]["diverged"],
                "train_s": r["wall_time_s"]["train"],
                "profile_s": r["wall_time_s"]["profile"],
            }
            for r in records
        ]
    )


def pareto_table(records: Sequence[Record]) -> pd.DataFrame:
    """One row per Pareto-optimal record, cheapest quantum part first."""
    table = pd.DataFrame([record_row(r) for r in pareto.pareto_records(records)])
    if table.empty:
        return table
    # Ties in F_Q are broken by accuracy so the order is reproducible.
    order = table.sort_values(["F_Q", "accuracy"], ascending=[True, False], kind="stable")
    return order.reset_index(drop=True)


def progress_table(
    populations: Sequence[Population], decisions: Sequence[dict], records: Sequence[Record]
) -> pd.DataFrame:
    """Per generation: evaluations so far and new, the rank-0 front (size,
    changed or not, stagnation), best accuracy so far, hypervolume, elapsed
    seconds, stop decision.

    Args:
        populations: the population of each generation.
        decisions: each generation's status with its stop decision
            (`faqnas.search.stopping.StoppingRule.decisions`).
        records: every evaluated record, once each: the hypervolume's bounds.
    """
    hv = pareto.hypervolume_per_generation(populations, pareto.objective_bounds(records))
    evaluated = [s["n_evaluated"] for s in decisions]
    started = min(r["timestamps"]["started"] for r in records)
    generations = [s["generation"] for s in decisions]
    return pd.DataFrame(
        {
            "generation": generations,
            "n_evaluated": evaluated,
            "new_genomes": [b - a for a, b in zip([0, *evaluated], evaluated)],
            "rank0_size": [len(s["rank0_front"]) for s in decisions],
            "front_changed": [s["stagnation"] == 0 for s in decisions],
            "stagnation": [s["stagnation"] for s in decisions],
            "best_accuracy": [
                max(r["accuracy"] for r in records if r["generation"] <= g) for g in generations
            ],
            "hypervolume": hv,
            # Seconds from the first genome job's start to the generation's last end.
            "elapsed_s": [
                max(r["timestamps"]["finished"] for r in records if r["generation"] <= g) - started
                for g in generations
            ],
            "stop": [s["stop"] for s in decisions],
            "reason": [s["reason"] for s in decisions],
        }
    )


def markdown_table(table: pd.DataFrame) -> str:
    """``table`` as a GitHub-flavoured Markdown table (floats to 4 significant digits)."""
    header = "| " + " | ".join(map(str, table.columns)) + " |"
    rule = "|" + "---|" * len(table.columns)
    rows = [
        "| " + " | ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in row) + " |"
        for row in table.itertuples(index=False)
    ]
    return "\n".join([header, rule, *rows])
