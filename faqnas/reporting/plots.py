"""Drawing the figures of searches and studies (matplotlib, no pyplot).

Figures are built on ``matplotlib.figure.Figure`` directly, never through
pyplot: no backend or display is involved (saving renders with Agg for PNG,
and the vector backends for SVG/PDF), nothing global is left open in a
long-running Snakemake process, and the returned Figure can be inspected by
tests. Seaborn's style is applied inside a context for the same reason:
importing this module changes no global matplotlib setting.
"""

from __future__ import annotations

import contextlib
import os
import textwrap
from typing import Iterable, Sequence

import matplotlib
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from faqnas.search.objectives import ACCURACY_ONLY, FLOPS_AGNOSTIC, FLOPS_AWARE
from faqnas.study.plane import plane_front

CANDIDATE_COLOR = "#6a3d9a"  # purple, as in the paper
PARETO_COLOR = "#f2c12e"  # gold
FLOPS_UNIT = "FLOPs per sample, forward+backward"
# (record["flops"] key, axis name), left to right as in the paper's Figs. 4-8.
FLOPS_PANELS = (("classical", "Classical"), ("quantum", "Quantum"), ("total", "Total"))
# What the Pareto set of a search of each mode is taken over.
OBJECTIVE_NAMES = {
    FLOPS_AWARE: "(F_Q, 1 − accuracy, params)",
    FLOPS_AGNOSTIC: "(1 − accuracy, params)",
    ACCURACY_ONLY: "(1 − accuracy)",
}


def pareto_label(mode: str) -> str:
    """The legend of the gold stars of a search of ``mode``: the objectives
    its Pareto set is taken in, since the figure draws it in 2-D."""
    return f"Pareto-optimal in {OBJECTIVE_NAMES[mode]}"


@contextlib.contextmanager
def _style():
    with matplotlib.rc_context({**sns.axes_style("whitegrid"), **sns.plotting_context("paper")}):
        yield


def _save(fig: Figure, path: str | os.PathLike) -> Figure:
    """Save in the format named by the suffix (png, svg, pdf, ...)."""
    fig.savefig(path, dpi=150)
    return fig


def _set_flops_scale(ax, values: np.ndarray) -> None:
    """Log scale; symlog (linear below 1) when some count is 0, because a
    profiler can report no quantum FLOPs for a circuit (e.g. CNOT applied by
    slicing) and a plain log axis would silently drop that genome."""
    if np.all(values > 0):
        ax.set_xscale("log")
    else:
        ax.set_xscale("symlog", linthresh=1.0)


def plot_accuracy_vs_flops(
    records: Sequence[dict],
    pareto_keys: Iterable[str],
    path: str | os.PathLike,
    title: str,
    pareto_label: str = "Pareto-optimal",
) -> Figure:
    """The paper's figure: accuracy against classical, quantum and total FLOPs.

    Every evaluated genome is a purple dot, the Pareto-optimal ones gold
    stars on top (one star per Pareto key). The stars are the search's Pareto
    set in the objectives it minimised, which ``pareto_label`` should name:
    drawn in 2-D, a star can lie below a cheaper, more accurate dot. The
    quantum panel also draws the 2-D front in (F_Q, accuracy) of the same
    genomes as a black staircase. Accuracy spans 0-100 % so that small
    differences are not magnified.

    Raises:
        ValueError: a Pareto key has no record.
    """
    pareto_keys = set(pareto_keys)
    by_key = {r["phenotype_key"]: r for r in records}
    missing = pareto_keys - by_key.keys()
    if missing:
        raise ValueError(f"Pareto keys without a record: {sorted(missing)}")
    pareto = [by_key[k] for k in sorted(pareto_keys)]
    accuracy = np.array([100 * r["accuracy"] for r in records])
    pareto_accuracy = np.array([100 * r["accuracy"] for r in pareto])
    front = plane_front(pd.DataFrame(
        {"F_Q": [r["flops"]["quantum"] for r in records], "accuracy": accuracy / 100}))

    with _style():
        fig = Figure(figsize=(12, 4.3), layout="constrained")
        axes = fig.subplots(1, len(FLOPS_PANELS), sharey=True)
        for ax, (key, name) in zip(axes, FLOPS_PANELS):
            flops = np.array([r["flops"][key] for r in records], dtype=float)
            ax.scatter(flops, accuracy, s=18, color=CANDIDATE_COLOR, alpha=0.6,
                       linewidths=0, label="Candidate architectures")
            ax.scatter([r["flops"][key] for r in pareto], pareto_accuracy, s=140,
                       marker="*", color=PARETO_COLOR, edgecolors="black",
                       linewidths=0.6, zorder=3, label=pareto_label)
            if key == "quantum":
                ax.step(front["F_Q"], 100 * front["accuracy"], where="post", color="black",
                        linewidth=1.2, zorder=2, label="2-D front in (F_Q, accuracy)")
            _set_flops_scale(ax, flops)
            ax.set_xlabel(f"{name} FLOPs\n({FLOPS_UNIT})")
        axes[0].set_ylim(0, 100)
        axes[0].set_ylabel("Accuracy (%)")
        fig.suptitle(title)
        handles = {}
        for ax in axes:
            handles.update(zip(*reversed(ax.get_legend_handles_labels())))
        fig.legend(list(handles.values()), list(handles), loc="outside lower center", ncols=3)
        return _save(fig, path)


def plot_hypervolume(
    hv: Sequence[float],
    stop_generation: int | None,
    reason: str,
    path: str | os.PathLike,
) -> Figure:
    """Hypervolume of the rank-0 front per generation, with the generation
    that stopped the search marked and its reason written beside it."""
    with _style():
        fig = Figure(figsize=(6, 3.5), layout="constrained")
        ax = fig.subplots()
        ax.plot(range(len(hv)), hv, marker="o", color=CANDIDATE_COLOR)
        if stop_generation is not None:
            ax.axvline(stop_generation, color="grey", linestyle="--")
            # Text on the side of the line with more room, wrapped so a long
            # reason does not squeeze the plot.
            left = stop_generation > (len(hv) - 1) / 2
            ax.annotate(textwrap.fill(f"stop: {reason}", 32), xy=(stop_generation, 0.05),
                        xycoords=("data", "axes fraction"), xytext=(-6 if left else 6, 0),
                        textcoords="offset points", ha="right" if left else "left",
                        va="bottom", fontsize="small",
                        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8})
        ax.set_xlabel("Generation")
        ax.set_ylabel("Hypervolume of rank-0 front\n(normalised objectives)")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        return _save(fig, path)


def plot_summary(table: pd.DataFrame, path: str | os.PathLike) -> Figure:
    """Datasets side by side, one row per search summary (`faqnas.search.finalize.search_summary`): best accuracy
    as bars, and F_Q of the cheapest genome within one point of it as points
    on a log axis (a bar's length means nothing on a log scale)."""
    datasets = table["dataset"].astype(str)
    with _style():
        fig = Figure(figsize=(8, 1.2 + 0.45 * len(table)), layout="constrained")
        acc_ax, fq_ax = fig.subplots(1, 2, sharey=True)
        acc_ax.barh(datasets, 100 * table["best_accuracy"], color=CANDIDATE_COLOR)
        acc_ax.set_xlim(0, 100)
        acc_ax.set_xlabel("Best accuracy (%)")
        fq = table["cheapest_F_Q"].to_numpy(dtype=float)
        fq_ax.plot(fq, datasets, "o", markersize=8, color=PARETO_COLOR, markeredgecolor="black")
        _set_flops_scale(fq_ax, fq)
        fq_ax.set_xlabel(f"F_Q of the cheapest genome within 1 point of best\n({FLOPS_UNIT})")
        acc_ax.invert_yaxis()  # first dataset of the table on top
        return _save(fig, path)


# One colour per search variant in the study figures, the paper's purple for
# the FLOPs-aware search.
VARIANT_COLORS = {
    "flops_aware": CANDIDATE_COLOR, "flops_agnostic": "#1b9e77",
    "accuracy_only": "#d95f02", "random": "#777777",
}


def plot_anytime(
    measures: pd.DataFrame,
    panels: Sequence[tuple[str, str, tuple[float, float], bool]],
    path: str | os.PathLike,
    title: str,
) -> Figure:
    """Measures of every variant against evaluations: the median over seeds as
    a line, the interquartile range as a band.

    Args:
        measures: `faqnas.study.anytime.MEASURE_COLUMNS` rows.
        panels: (column, axis label, y limits, log axis or not) per panel;
            the limits should be the measure's whole range (no truncation).
        path: the file.
        title: the figure's title.
    """
    with _style():
        fig = Figure(figsize=(4.2 * len(panels), 4), layout="constrained")
        axes = np.atleast_1d(fig.subplots(1, len(panels)))
        for ax, (column, label, limits, log) in zip(axes, panels):
            for variant, rows in measures.groupby("variant", sort=False):
                by_budget = rows.groupby("budget")[column]
                quartiles = by_budget.quantile([0.25, 0.5, 0.75]).unstack()
                color = VARIANT_COLORS.get(variant, "black")
                ax.plot(quartiles.index, quartiles[0.5], marker="o", markersize=3,
                        color=color, label=variant)
                ax.fill_between(quartiles.index, quartiles[0.25], quartiles[0.75],
                                color=color, alpha=0.18, linewidth=0)
            if log:
                ax.set_yscale("log")
            ax.set_ylim(*limits)
            ax.set_xlabel("Genomes evaluated")
            ax.set_ylabel(label)
        fig.suptitle(title)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
        return _save(fig, path)


def plot_plateau(
    means: pd.DataFrame,
    curve: pd.DataFrame,
    plateau: dict,
    paper: tuple[float, float] | None,
    path: str | os.PathLike,
    title: str,
) -> Figure:
    """Mean test accuracy of every phenotype against F_Q, with the best
    reachable within each F_Q (the table's 2-D front) and its 95 % band, the
    threshold F_Q, and the paper's range shaded.

    Args:
        means: `faqnas.study.phenotypes.phenotype_means`.
        curve: `faqnas.study.plateau.plateau_curve`.
        plateau: `faqnas.study.plateau.plateau`.
        paper: the paper's plateau range (fractions), or None.
        path: the file.
        title: the figure's title.
    """
    half = 100 * plateau["half_width"]
    with _style():
        fig = Figure(figsize=(7, 4.5), layout="constrained")
        ax = fig.subplots()
        if paper is not None:
            ax.axhspan(100 * paper[0], 100 * paper[1], color=PARETO_COLOR, alpha=0.2,
                       linewidth=0, label="the paper's plateau")
        ax.scatter(means["F_Q"], 100 * means["test_accuracy"], s=4, color=CANDIDATE_COLOR,
                   alpha=0.25, linewidths=0, label="every phenotype (mean over seeds)")
        accuracy = 100 * curve["test_accuracy"]
        ax.step(curve["F_Q"], accuracy, where="post", color="black", linewidth=1.5,
                label="best within each F_Q")
        ax.fill_between(curve["F_Q"], accuracy - half, np.minimum(accuracy + half, 100),
                        step="post", color="black", alpha=0.15, linewidth=0,
                        label="95 % interval of a mean")
        ax.axvline(plateau["threshold"]["F_Q"], color="black", linestyle="--",
                   label=f"threshold F_Q = {plateau['threshold']['F_Q']:,}")
        _set_flops_scale(ax, means["F_Q"].to_numpy(dtype=float))
        ax.set_ylim(0, 100)
        ax.set_xlabel(f"Quantum FLOPs F_Q ({FLOPS_UNIT})")
        ax.set_ylabel("Test accuracy (%), mean over seeds")
        ax.set_title(title)
        fig.legend(loc="outside lower center", ncols=3, fontsize="small")
        return _save(fig, path)


def plot_final(table: pd.DataFrame, scored_on: str, path: str | os.PathLike, title: str) -> Figure:
    """Accuracy against F_Q of the re-trained architectures: the final
    accuracy's mean and 95 % interval over seeds (``final.tsv``), beside the
    accuracy the search recorded for the same architecture. The y axis spans
    0-100 % so that small differences are not magnified."""
    flops = table["F_Q"].to_numpy(dtype=float)
    mean = 100 * table["test_accuracy_mean"].to_numpy(dtype=float)
    low = 100 * table["test_accuracy_ci95_low"].to_numpy(dtype=float)
    high = 100 * table["test_accuracy_ci95_high"].to_numpy(dtype=float)
    # One seed has no interval: draw the mean alone.
    below, above = np.nan_to_num(mean - low), np.nan_to_num(high - mean)
    with _style():
        fig = Figure(figsize=(7, 4.5), layout="constrained")
        ax = fig.subplots()
        ax.scatter(flops, 100 * table["search_accuracy"], s=40, facecolors="none",
                   edgecolors=CANDIDATE_COLOR, label="search (one short run, validation)")
        ax.errorbar(flops, mean, yerr=[below, above], fmt="*", markersize=12,
                    color=PARETO_COLOR, markeredgecolor="black", ecolor="black", capsize=3,
                    label=f"re-trained: {scored_on} accuracy, mean and 95 % interval")
        compromise = table["compromise"].to_numpy(dtype=bool)
        if compromise.any():
            ax.scatter(flops[compromise], mean[compromise], s=260, facecolors="none",
                       edgecolors="black", linewidths=1.2, label="compromise genome")
        _set_flops_scale(ax, flops)
        ax.set_ylim(0, 100)
        ax.set_xlabel(f"Quantum FLOPs F_Q ({FLOPS_UNIT})")
        ax.set_ylabel("Accuracy (%)")
        ax.set_title(title)
        ax.legend(fontsize="small", loc="lower right")
        return _save(fig, path)
