"""Figures and summary tables of a finished search, on synthetic records."""

from __future__ import annotations

import itertools

import matplotlib.image
import numpy as np
import pandas as pd
import pytest

from faqnas.reporting import plots, tables
from faqnas.search import pareto as summary
from faqnas.search.space import SearchSpace
from faqnas.study.plane import plane_front

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def make_record(genome, accuracy, f_quantum, f_classical=3000, params=40, generation=0):
    """A record with the fields the figures read, consistent with itself."""
    return {
        "dataset": "toy",
        "generation": generation,
        "index": 0,
        "genes": genome.to_genes(),
        "phenotype_key": genome.phenotype_key,
        "accuracy": accuracy,
        "flops": {
            "total": f_classical + f_quantum,
            "classical": f_classical,
            "quantum": f_quantum,
            "quantum_analytic": int(0.9 * f_quantum),
        },
        "params": {"total": params, "classical": params - 8, "quantum": 8},
        "objectives": [float(f_quantum), 1.0 - accuracy, float(params)],
    }


def synthetic_records(n=40, seed=0):
    """Plausible records: quantum cost grows as layers x 2^qubits, accuracy
    saturates with it plus noise; distinct phenotypes as in a real search."""
    rng = np.random.default_rng(seed)
    space = SearchSpace()
    genomes = {}
    while len(genomes) < n:
        g = space.sample(rng)
        genomes.setdefault(g.phenotype_key, g)
    records = []
    for i, g in enumerate(genomes.values()):
        f_q = int(14 * 2**g.n_qubits * g.n_layers * g.n_qubits)
        acc = float(np.clip(0.4 + 0.08 * np.log10(f_q) + rng.normal(0, 0.05), 0, 1))
        acc = round(acc * 150) / 150  # a validation split of 150 samples
        params = 10 * g.n_qubits + 3 * g.n_layers * g.n_qubits
        records.append(make_record(g, acc, f_q, f_classical=200 * g.n_qubits,
                                   params=params, generation=i // 10))
    return records


def genomes(n):
    return list(itertools.islice(SearchSpace().phenotypes(), n))


def brute_force_front(records):
    """Independent oracle: records no other record weakly dominates strictly somewhere."""
    objs = [np.array(r["objectives"]) for r in records]
    return [
        r for r, a in zip(records, objs)
        if not any(np.all(b <= a) and np.any(b < a) for b in objs)
    ]


def star_counts(fig):
    return [
        len(c.get_offsets())
        for ax in fig.axes
        for c in ax.collections
        if c.get_label().startswith("Pareto-optimal")
    ]


# --- accuracy vs FLOPs -------------------------------------------------------

def test_accuracy_vs_flops_png(tmp_path):
    records = synthetic_records()
    keys = [r["phenotype_key"] for r in summary.pareto_records(records)]
    path = tmp_path / "acc.png"
    label = plots.pareto_label("flops_aware")
    fig = plots.plot_accuracy_vs_flops(records, keys, path, "toy", label)

    assert path.read_bytes()[:8] == PNG_MAGIC
    assert np.var(matplotlib.image.imread(path)) > 0
    assert len(fig.axes) == 3
    for ax, word in zip(fig.axes, ("Classical", "Quantum", "Total")):
        assert ax.get_xscale() == "log"
        assert ax.get_xlabel().startswith(f"{word} FLOPs")
        assert "FLOPs per sample, forward+backward" in ax.get_xlabel()
    assert fig.axes[0].get_ylabel() == "Accuracy (%)"
    assert fig.axes[0].get_ylim() == (0, 100)  # no truncated accuracy axis
    assert star_counts(fig) == [len(keys)] * 3
    # The stars say which objectives they are optimal in; the 2-D front is drawn too.
    assert {t.get_text() for t in fig.legends[0].get_texts()} == {
        "Candidate architectures", "Pareto-optimal in (F_Q, 1 − accuracy, params)",
        "2-D front in (F_Q, accuracy)"}
    (front,) = fig.axes[1].get_lines()
    expected = plane_front(pd.DataFrame({"F_Q": [r["flops"]["quantum"] for r in records],
                                         "accuracy": [r["accuracy"] for r in records]}))
    assert list(front.get_xdata()) == expected["F_Q"].tolist()


def test_accuracy_vs_flops_svg_and_zero_quantum_flops(tmp_path):
    records = synthetic_records(10)
    records[0] = make_record(genomes(1)[0], 0.5, f_quantum=0)
    path = tmp_path / "acc.svg"
    fig = plots.plot_accuracy_vs_flops(records, [records[0]["phenotype_key"]], path, "toy")

    text = path.read_text()
    assert text.startswith("<?xml") and "<svg" in text
    # A genome without quantum FLOPs stays on the plot: symlog, not log.
    assert [ax.get_xscale() for ax in fig.axes] == ["log", "symlog", "log"]
    assert star_counts(fig) == [1, 1, 1]


def test_accuracy_vs_flops_rejects_unknown_pareto_key(tmp_path):
    with pytest.raises(ValueError, match="nope"):
        plots.plot_accuracy_vs_flops(synthetic_records(5), ["nope"], tmp_path / "x.png", "toy")


# --- hypervolume -------------------------------------------------------------

def population(objectives, ranks=None):
    ranks = ranks or [0] * len(objectives)
    return {"members": [{"objectives": o, "rank": r} for o, r in zip(objectives, ranks)]}


BOUNDS = ([0.0, 0.0, 0.0], [10.0, 1.0, 100.0])


def test_hypervolume_two_points_by_hand():
    # Normalised (0.1, 0.6, 0.1) and (0.6, 0.1, 0.1), reference 1.1:
    # boxes 1.0*0.5*1.0 + 0.5*1.0*1.0 minus their overlap 0.5*0.5*1.0 = 0.75.
    gen = population([[1.0, 0.6, 10.0], [6.0, 0.1, 10.0]])
    assert summary.hypervolume_per_generation([gen], BOUNDS) == [pytest.approx(0.75)]


def test_hypervolume_counts_only_rank0_and_is_zero_when_empty():
    dominated_but_ranked_1 = [0.0, 0.0, 0.0]
    gen = population([[1.0, 0.6, 10.0], [6.0, 0.1, 10.0], dominated_but_ranked_1], [0, 0, 1])
    outside = population([[20.0, 1.0, 500.0]])
    hv = summary.hypervolume_per_generation([gen, outside, {"members": []}], BOUNDS)
    assert hv == [pytest.approx(0.75), 0.0, 0.0]


def test_hypervolume_non_decreasing_when_front_improves():
    records = synthetic_records(60, seed=3)
    bounds = summary.objective_bounds(records)
    # Each generation adds records, so its front is never worse than the last.
    gens = [
        population([r["objectives"] for r in summary.pareto_records(records[: 10 * (g + 1)])])
        for g in range(6)
    ]
    hv = summary.hypervolume_per_generation(gens, bounds)
    assert all(v >= 0 for v in hv)
    assert all(b >= a for a, b in zip(hv, hv[1:]))
    assert hv[-1] > hv[0]


def test_hypervolume_progress_marks_stop(tmp_path):
    path = tmp_path / "hv.png"
    fig = plots.plot_hypervolume([0.1, 0.3, 0.4, 0.4], 3, "stagnation 2", path)
    assert path.read_bytes()[:8] == PNG_MAGIC
    (ax,) = fig.axes
    assert any("stagnation 2" in t.get_text() for t in ax.texts)
    assert any(list(line.get_xdata()) == [3, 3] for line in ax.lines)


# --- Pareto table, compromise, top-K -----------------------------------------

def test_pareto_table_is_the_non_dominated_subset_sorted_by_fq():
    records = synthetic_records(60, seed=1)
    table = tables.pareto_table(records)
    expected = brute_force_front(records)
    assert sorted(table["phenotype_key"]) == sorted(r["phenotype_key"] for r in expected)
    assert table["F_Q"].is_monotonic_increasing
    assert {"n_qubits", "embedding", "n_layers", "accuracy", "F_Q", "F_classical",
            "F_total", "F_Q_analytic", "params"} <= set(table.columns)


def test_pareto_records_refuses_repeated_phenotypes():
    records = synthetic_records(3)
    with pytest.raises(ValueError, match="repeat"):
        summary.pareto_records(records + records[:1])


def test_compromise_normalises_over_the_pareto_set_only():
    a, b, c, e = genomes(4)
    records = [
        make_record(a, 0.5, 100, params=10),
        make_record(b, 0.9, 1000, params=10),
        make_record(c, 0.1, 10, params=10),
        # Dominated by b. Were it in the max-normalisation, b would be chosen.
        make_record(e, 0.05, 10000, params=10),
    ]
    # Over {a, b, c}: F_Q / 1000 and (1 - acc) / 0.9; ideal (0.01, 0.111).
    # Distances: a 0.453, b 0.990, c 0.889.
    assert summary.compromise_record(records) is records[0]


def test_top_k_prefers_the_front():
    records = synthetic_records(30, seed=2)
    front = {r["phenotype_key"] for r in summary.pareto_records(records)}
    k = len(front)
    assert {r["phenotype_key"] for r in summary.top_k(records, k)} == front
    assert len(summary.top_k(records, k + 3)) == k + 3
    assert summary.top_k(records, 0) == []


# --- across datasets ---------------------------------------------------------

def test_cheapest_within_one_point():
    g = genomes(5)
    records = [
        make_record(g[0], 0.90, 1000),
        make_record(g[1], 0.895, 300),
        make_record(g[2], 0.89, 200),  # exactly one point below: still in
        make_record(g[3], 0.8899, 10),  # just outside
        make_record(g[4], 0.50, 1),
    ]
    assert summary.cheapest_near_best(records) is records[2]


def test_summary_figure(tmp_path):
    rows = []
    for s, name in enumerate(["iris", "wine", "digits"]):
        records = synthetic_records(20, seed=s)
        cheapest = summary.cheapest_near_best(records)
        rows.append({"dataset": name, "best_accuracy": max(r["accuracy"] for r in records),
                     "cheapest_F_Q": cheapest["flops"]["quantum"]})
    table = pd.DataFrame(rows)
    path = tmp_path / "summary.png"
    fig = plots.plot_summary(table, path)
    assert path.read_bytes()[:8] == PNG_MAGIC
    assert np.var(matplotlib.image.imread(path)) > 0
    assert [ax.get_xscale() for ax in fig.axes] == ["linear", "log"]


# --- the claims page's figures -------------------------------------------------

def test_anytime_figure_draws_a_median_and_band_per_variant_over_whole_ranges(tmp_path):
    rng = np.random.default_rng(0)
    measures = pd.DataFrame([
        {"variant": v, "seed": s, "budget": b, "share": rng.random(),
         "compromise_F_Q": 10 ** rng.uniform(2, 6)}
        for v in ("flops_aware", "random") for s in range(5) for b in (20, 60)])
    panels = [("share", "share", (0, 1.05), False),
              ("compromise_F_Q", "F_Q", (100, 1e6), True)]
    fig = plots.plot_anytime(measures, panels, tmp_path / "a.png", "toy")
    share, flops = fig.axes
    assert share.get_ylim() == (0, 1.05) and flops.get_yscale() == "log"
    assert [line.get_label() for line in share.get_lines()] == ["flops_aware", "random"]
    median = measures[measures["variant"] == "random"].groupby("budget")["share"].median()
    assert list(share.get_lines()[1].get_ydata()) == median.tolist()
    assert len(share.collections) == 2  # one interquartile band per variant


def test_plateau_figure_spans_the_whole_accuracy_range(tmp_path):
    means = pd.DataFrame({"phenotype_key": ["a", "b", "c"], "F_Q": [10, 100, 1000],
                          "test_accuracy": [0.5, 0.9, 0.91]})
    level = {"half_width": 0.02, "threshold": {"F_Q": 100}}
    curve = means.copy()
    fig = plots.plot_plateau(means, curve, level, (0.9, 1.0), tmp_path / "p.png", "toy")
    assert fig.axes[0].get_ylim() == (0, 100)
    assert (tmp_path / "p.png").read_bytes()[:8] == PNG_MAGIC
