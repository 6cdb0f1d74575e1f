"""Rule ``claims``: everything docs/results.md says about one dataset.

From a dataset's searches (replays on its table, or live searches) and, when
there is one, its table: the measures of every variant, seed and budget
(`faqnas.study.anytime`), the comparisons of FLOPs-aware search with each
other variant (`faqnas.study.comparisons`), the table's seed noise,
plateau and what accuracy follows (`noise`, `plateau`, `drivers`), the
verdicts (`faqnas.study.verdicts`) and the figures.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from faqnas.evaluation.flops_store import classical_flops
from faqnas.records import read_json, write_json
from faqnas.reporting.plots import pareto_label, plot_accuracy_vs_flops, plot_anytime, plot_plateau
from faqnas.search.duplicates import first_of_each_phenotype
from faqnas.search.objectives import FLOPS_AGNOSTIC, FLOPS_AWARE
from faqnas.search.pareto import HV_REFERENCE, pareto_records
from faqnas.study.anytime import TrueFront, anytime_measures, search_records
from faqnas.study.comparisons import LIVE_MEASURES, MEASURES, TABLE_MEASURES, compare_variants
from faqnas.study.drivers import drivers
from faqnas.study.noise import noise
from faqnas.study.phenotypes import phenotype_means
from faqnas.study.plane import space_bounds
from faqnas.study.plateau import plateau, plateau_curve
from faqnas.study.stats import ALPHA, RESAMPLES
from faqnas.study.verdicts import (
    PLATEAUS,
    awareness_verdict,
    drivers_verdict,
    plateau_verdict,
)
from faqnas.tables.load import read_flops, read_table

def plain(value):
    """``value`` with NaN as None and numpy scalars as Python ones, for JSON."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def decisive_budget(measures: pd.DataFrame) -> int:
    """The largest budget every search reached (replays: the largest budget);
    the smallest budget if none reached them all."""
    reached = measures.groupby("budget")["hypervolume"].apply(lambda h: h.notna().all())
    full = reached[reached]
    return int(full.index.max() if len(full) else measures["budget"].min())


def comparison_row(comparisons: pd.DataFrame, budget: int, baseline: str, measure: str) -> dict:
    """One row of `faqnas.study.comparisons.compare_variants` as a dict."""
    rows = comparisons[(comparisons["budget"] == budget) & (comparisons["baseline"] == baseline)
                       & (comparisons["measure"] == measure)]
    if rows.empty:
        raise ValueError(f"no comparison of {measure} with {baseline} at {budget} evaluations")
    return plain(rows.iloc[0].to_dict())


def figure_records(rows: pd.DataFrame, n_features: int, n_classes: int) -> list[dict]:
    """A search's evaluations as the records the paper figure draws (FLOPs-
    aware objectives, and classical and total FLOPs for the dataset)."""
    records = search_records(rows, FLOPS_AWARE)
    for record, n in zip(records, rows["n_qubits"].tolist()):
        classical = classical_flops(n_features, int(n), n_classes)
        quantum = record["flops"]["quantum"]
        record["flops"] = {"quantum": quantum, "classical": classical,
                           "total": quantum + classical}
    return records


def draw_paper_figure(evaluations: pd.DataFrame, description: dict, path: Path,
                      dataset: str) -> dict:
    """The paper's figure of the first seed's FLOPs-aware search; what it shows."""
    aware = evaluations[evaluations["variant"] == FLOPS_AWARE]
    seed = aware["seed"].iloc[0]
    rows = aware[aware["seed"] == seed].sort_values("position", kind="stable")
    records = first_of_each_phenotype(
        figure_records(rows, description["n_features"], description["n_classes"]))
    pareto = [r["phenotype_key"] for r in pareto_records(records)]
    plot_accuracy_vs_flops(records, pareto, path,
                           f"{dataset}: FLOPs-aware search, seed {seed}, {len(rows)} evaluations",
                           pareto_label(FLOPS_AWARE))
    return {"seed": int(seed), "evaluations": len(rows), "phenotypes": len(records),
            "pareto": len(pareto)}


def anytime_panels(measure_names: Sequence[str], bounds) -> list:
    """The anytime figure's panels: each compared measure over its whole range,
    F_Q on a log axis over the space's."""
    limits = {"share": (0, 1.05), "hypervolume": (0, HV_REFERENCE**2),
              "compromise_test_accuracy": (0, 1), "compromise_val_accuracy": (0, 1)}
    panels = [(name, MEASURES[name][0], limits[name], False) for name in measure_names
              if name in limits]
    flops = (10 ** bounds[0][0], 10 ** bounds[1][0])
    return [*panels, ("compromise_F_Q", "F_Q of the compromise", flops, True)]


def table_claims(
    table: pd.DataFrame,
    means: pd.DataFrame,
    split: dict,
    dataset: str,
    alpha: float,
    resamples: int,
    plateau_figure: Path,
) -> dict:
    """What only a table can tell: seed noise, plateau, drivers; the plateau's figure.

    Args:
        table: the tabular benchmark.
        means: its `faqnas.study.phenotypes.phenotype_means`.
        split: the split's sizes.
        dataset: the dataset (seeds the bootstraps; the paper's plateau).
        alpha, resamples: of the tests and intervals.
        plateau_figure: where to draw the plateau.

    Returns:
        ``noise``, ``plateau`` and ``drivers`` (each with its verdict),
        ``phenotypes``.
    """
    measured_noise = noise(table, split, dataset, resamples)
    test_noise = measured_noise["test_accuracy"]
    level = plateau(means, test_noise["sd"], test_noise["df"], int(table["seed"].nunique()),
                    alpha)
    correlations = drivers(means, dataset, resamples)
    paper = PLATEAUS.get(dataset)
    plot_plateau(means, plateau_curve(means), level,
                 (paper.low, paper.high) if paper else None, plateau_figure,
                 f"{dataset}: test accuracy against F_Q, every phenotype")
    return {
        "noise": measured_noise,
        "plateau": {**level, "verdict": plateau_verdict(dataset, *level["best"]["ci"])},
        "drivers": {**correlations, "verdict": drivers_verdict(
            correlations["correlations"]["F_Q | n_qubits"]["ci"])},
        "phenotypes": len(means),
    }


def claims(
    evaluations_path: str,
    description_path: str,
    flops_path: str,
    table_paths: Sequence[str],
    outputs,
    *,
    dataset: str,
    budgets: Sequence[int],
    alpha: float = ALPHA,
    resamples: int = RESAMPLES,
) -> None:
    """Measure, compare and judge one dataset; draw its figures.

    Args:
        evaluations_path: every evaluation of its searches
            (`faqnas.study.anytime.EVALUATION_COLUMNS`): the ``replays``
            output, or ``docs/tables/live/{dataset}.tsv.gz``.
        description_path: the table's description (or the live searches'):
            ``n_features``, ``n_classes``, ``split``, ``seeds``.
        flops_path: ``docs/tables/flops.tsv.gz`` (the plane's bounds).
        table_paths: ``[docs/tables/{dataset}.tsv.gz]``, or empty for live
            searches.
        outputs: paths with attributes ``claims`` (JSON), ``measures`` and
            ``comparisons`` (TSV) and ``figures`` (a folder: ``anytime.png``,
            ``paper.png``, and with a table ``plateau.png``).
        dataset: the dataset's name.
        budgets: the evaluation counts compared.
        alpha: the family-wise level of every test.
        resamples: bootstrap resamples.

    Raises:
        ValueError: there is no FLOPs-aware or FLOPs-agnostic search.
    """
    start = time.perf_counter()
    description = read_json(description_path)
    evaluations = pd.read_csv(evaluations_path, sep="\t")
    flops = read_flops(flops_path)
    bounds = space_bounds(flops["F_Q"])
    figures = Path(outputs.figures)
    figures.mkdir(parents=True, exist_ok=True)
    result = {"dataset": dataset, "source": "table" if table_paths else "live",
              "n_features": description["n_features"], "n_classes": description["n_classes"],
              "split": description["split"], "table_seeds": description["seeds"],
              "commit": description.get("commit"),
              "bounds": [list(map(float, b)) for b in bounds], "reference": HV_REFERENCE,
              "alpha": alpha, "resamples": resamples, "budgets": list(budgets)}
    true = None
    if table_paths:
        table = read_table(table_paths[0])
        means = phenotype_means(table, flops, description["n_features"],
                                description["n_classes"])
        true = TrueFront.of(means, bounds)
        result |= table_claims(table, means, description["split"], dataset, alpha, resamples,
                               figures / "plateau.png")
        result["true_hypervolume"] = true.hypervolume
        margin = result["noise"]["test_accuracy"]["margin"]
        measure_names, accuracy_name = TABLE_MEASURES, "compromise_test_accuracy"
    else:
        # Without a table, "within the noise" is one validation sample.
        margin = 1.0 / description["split"]["n_val"]
        measure_names, accuracy_name = LIVE_MEASURES, "compromise_val_accuracy"

    measures = anytime_measures(evaluations, budgets, bounds, true)
    comparisons = compare_variants(measures, dataset, measure_names, alpha, resamples)
    variants = list(dict.fromkeys(measures["variant"]))
    if FLOPS_AGNOSTIC not in variants:
        raise ValueError(f"{dataset}: no FLOPs-agnostic search to judge FLOPs-awareness by")
    budget = decisive_budget(measures)
    cost = comparison_row(comparisons, budget, FLOPS_AGNOSTIC, "log10_compromise_F_Q")
    accuracy = comparison_row(comparisons, budget, FLOPS_AGNOSTIC, accuracy_name)
    aware = measures[measures["variant"] == FLOPS_AWARE]
    result |= {
        "variants": variants,
        "seeds": [[int(s), int(t)] for s, t in
                  aware[["seed", "table_seed"]].drop_duplicates().itertuples(index=False)],
        "measures": list(measure_names),
        "awareness": {"budget": budget, "margin": margin, "cost": cost, "accuracy": accuracy,
                      "verdict": awareness_verdict(cost, accuracy, margin, alpha)},
        # The FLOPs-aware compromise's F_Q per seed and budget: the budget
        # claim compares datasets on it.
        "aware_compromise_F_Q": {
            str(b): rows["compromise_F_Q"].dropna().astype(int).tolist()
            for b, rows in aware.groupby("budget")
        },
    }
    result["paper_figure"] = draw_paper_figure(evaluations, description,
                                               figures / "paper.png", dataset)
    plot_anytime(measures, anytime_panels(measure_names, bounds), figures / "anytime.png",
                 f"{dataset}: median and interquartile range over {len(result['seeds'])} seeds")
    result["figures"] = sorted(p.name for p in figures.glob("*.png"))
    measures.to_csv(outputs.measures, sep="\t", index=False)
    comparisons.to_csv(outputs.comparisons, sep="\t", index=False)
    write_json(outputs.claims, plain(result))
    print(f"{dataset}: claims in {time.perf_counter() - start:.1f} s", file=sys.stderr)
