"""The whole search through real Snakemake, on the tiny Iris config."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from faqnas.search.nsga2 import non_dominated_fronts
from faqnas.search.stopping import StoppingRule
from faqnas.records import read_record
from faqnas.search.space import SearchSpace

from conftest import REPO, TINY, load_config, run_search, snakemake, stable_records

pytestmark = pytest.mark.pipeline

CONFIG = load_config(TINY)
SPACE = SearchSpace(CONFIG["search_space"])
P = CONFIG["search"]["population"]


def generations(workdir: Path) -> list[Path]:
    return sorted((workdir / "results" / "iris").glob("gen*"), key=lambda p: int(p.name[3:]))


def test_every_genome_has_a_complete_record(finished):
    gens = generations(finished)
    assert 1 <= len(gens) <= CONFIG["search"]["max_generations"] + 1
    for gen in gens:
        records = [read_record(gen / "records" / f"{i}.json", SPACE) for i in range(P)]
        for record in records:
            assert record["training"]["epochs"] == 1
            assert len(record["training"]["accuracy_per_epoch"]) == 1
            assert record["accuracy"] == max(record["training"]["accuracy_per_epoch"])
            assert record["flops"]["quantum"] == max(record["flops"]["total"] - record["flops"]["classical"], 0)
            assert record["flops"]["classical"] > 0 and record["flops"]["quantum_analytic"] > 0
            assert record["params"]["total"] == record["params"]["classical"] + record["params"]["quantum"]
            assert {"torch", "pennylane", "faqnas", "python"} <= set(record["versions"])
            assert record["seed"] > 0 and record["wall_time_s"]["train"] > 0


def test_no_phenotype_is_evaluated_twice(finished):
    keys = [json.loads(p.read_text())["phenotype_key"]
            for p in (finished / "results" / "iris").glob("gen*/records/*.json")]
    assert len(keys) == len(set(keys))


def test_search_stops_by_the_paper_rule(finished):
    gens = generations(finished)
    statuses = [json.loads((g / "status.json").read_text()) for g in gens]
    rule = StoppingRule(CONFIG["search"]["max_generations"], CONFIG["search"]["patience"])
    decisions = [rule.decide(g, s["stagnation"]) for g, s in enumerate(statuses)]
    assert [stop for stop, _ in decisions] == [False] * (len(gens) - 1) + [True]
    progress = pd.read_csv(finished / "results" / "iris" / "progress.tsv", sep="\t")
    assert progress["stop"].tolist() == [stop for stop, _ in decisions]
    assert progress["new_genomes"].sum() == progress["n_evaluated"].iloc[-1]
    assert progress["front_changed"].tolist() == [s["stagnation"] == 0 for s in statuses]
    assert (np.diff(progress["best_accuracy"]) >= 0).all()
    assert (np.diff(progress["elapsed_s"]) > 0).all()
    summary = json.loads((finished / "results" / "iris" / "summary.json").read_text())
    assert summary["stop_reason"] == decisions[-1][1]
    assert summary["n_evaluations"] == P * len(gens)


def test_pareto_set_is_the_non_dominated_evaluated_genomes(finished):
    folder = finished / "results" / "iris"
    records = [json.loads(p.read_text()) for p in folder.glob("gen*/records/*.json")]
    F = np.array([r["objectives"] for r in records])
    expected = {records[i]["phenotype_key"] for i in non_dominated_fronts(F)[0]}
    pareto = json.loads((folder / "pareto.json").read_text())
    assert {r["phenotype_key"] for r in pareto} == expected
    table = pd.read_csv(folder / "pareto.tsv", sep="\t")
    assert set(table["phenotype_key"]) == expected
    compromise = json.loads((folder / "compromise.json").read_text())
    assert compromise["phenotype_key"] in expected
    assert table.loc[table["compromise"], "phenotype_key"].tolist() == [compromise["phenotype_key"]]
    top = pd.read_csv(folder / "top_k.tsv", sep="\t")
    assert len(top) == CONFIG["search"]["top_k"]


def test_outputs_for_the_user_exist(finished):
    folder = finished / "results" / "iris"
    for name in ["report.md", "figures/accuracy_vs_flops.png", "figures/accuracy_vs_flops.svg",
                 "figures/hypervolume.png", "figures/circuits/compromise.png",
                 "figures/circuits/top1.png", "evaluations.tsv"]:
        assert (folder / name).stat().st_size > 0, name
    summary = pd.read_csv(finished / "results" / "summary" / "summary.tsv", sep="\t")
    assert summary["dataset"].tolist() == ["iris"]


def test_every_job_has_a_log_and_a_benchmark(finished):
    folder = finished / "results" / "iris"
    n_gen = len(generations(finished))
    # genomes_per_job auto: an Iris genome trains in far less than a job's
    # start-up, so one job trains the whole generation.
    for kind in ("logs", "benchmarks"):
        jobs = [p.name for p in folder.glob(f"{kind}/gen*/evaluate*")]
        assert len(jobs) == n_gen and set(jobs) <= {f"evaluate_0_to_{P - 1}.log", f"evaluate_0_to_{P - 1}.tsv"}
    for stage in ["propose", "profile", "survive"]:
        assert len(list(folder.glob(f"logs/gen*/{stage}.log"))) == n_gen
        assert len(list(folder.glob(f"benchmarks/gen*/{stage}.tsv"))) == n_gen
    for name in ["prepare", "finalize", "circuits", "hypervolume"]:
        assert (folder / "logs" / f"{name}.log").exists()
        assert (folder / "benchmarks" / f"{name}.tsv").exists()


def test_rerun_after_completion_does_nothing(finished):
    result = run_search(finished)
    assert "Nothing to be done" in result.stdout + result.stderr
    assert "faqnas:" not in result.stdout + result.stderr, "the start-up check is silent when all is well"


def test_same_seed_gives_identical_records_in_any_split_into_jobs(finished, tmp_path):
    override = tmp_path / "per_genome.yaml"
    override.write_text("search: {genomes_per_job: 1}\n")
    run_search(tmp_path, "--configfile", str(TINY), str(override))
    assert len(list(tmp_path.glob("results/iris/logs/gen0/evaluate_*.log"))) == P
    assert stable_records(tmp_path) == stable_records(finished)


def test_more_generations_continue_without_retraining(finished, tmp_path):
    shutil.copytree(finished, tmp_path, dirs_exist_ok=True)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.glob("results/iris/gen*/records/*.json")}
    override = tmp_path / "more.yaml"
    override.write_text("search: {max_generations: 4, patience: 3}\n")
    run_search(tmp_path, "--configfile", str(TINY), str(override))
    after = {p: p.stat().st_mtime_ns for p in before}
    assert after == before, "finished genomes were trained again"
    assert len(generations(tmp_path)) > len(before) // P


def test_default_config_dry_run_lists_all_five_datasets(tmp_path):
    # The default MNIST root is relative to the working directory (the
    # repository's, beside shared/); sources are checked even in a dry run.
    mnist = tmp_path / "mnist.yaml"
    mnist.write_text(f"data: {{mnist: {{root: {REPO.parent / 'shared' / 'data' / 'mnist'}}}}}\n")
    result = snakemake(tmp_path, "-n", "--cores", "1", "--configfile", str(mnist))
    out = result.stdout + result.stderr
    for name in ["iris", "wine", "breast_cancer", "digits", "mnist"]:
        assert f"results/{name}/data.npz" in out


def test_lint_and_format_are_clean(tmp_path):
    result = snakemake(tmp_path, "--lint", check=False)
    assert "Congratulations" in result.stdout + result.stderr, result.stdout + result.stderr
    snakefiles = [str(REPO / "Snakefile"), *map(str, (REPO / "workflow" / "rules").glob("*.smk"))]
    fmt = subprocess.run([sys.executable, "-m", "snakefmt", "--check", *snakefiles],
                         capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stderr


def test_tiny_search_reproduces_the_golden_copy(finished):
    """Records, populations, statuses and Pareto set equal the committed copy,
    floats to 1e-12 (tests/golden/snapshot.py says why, and when to remake it)."""
    from golden.snapshot import differences, snapshot

    golden = json.loads((REPO / "tests" / "golden" / "tiny_iris.json").read_text())
    assert differences(snapshot(finished), golden) == []


def test_final_stage_retrains_the_pareto_set_and_exports_usable_models(finished):
    """final.tsv has every Pareto genome with its interval; every model file
    loads, reproduces its recorded test accuracy on the raw test rows, and the
    PennyLane rebuild predicts the same."""
    from sklearn.datasets import load_iris

    import faqnas
    from faqnas.data.store import load_prepared

    folder = finished / "results" / "iris"
    pareto = {r["phenotype_key"] for r in json.loads((folder / "pareto.json").read_text())}
    table = pd.read_csv(folder / "final.tsv", sep="\t")
    seeds = CONFIG["final"]["seeds"]
    assert set(table["phenotype_key"]) == pareto
    assert (table["seeds"] == seeds).all() and table["compromise"].sum() == 1
    assert (table["test_accuracy_ci95_low"] <= table["test_accuracy_mean"]).all()
    assert (table["test_accuracy_mean"] <= table["test_accuracy_ci95_high"]).all()
    summary = json.loads((folder / "final.json").read_text())
    assert summary["scored_on"] == "test" and summary["architectures"] == len(pareto)

    data = load_prepared(folder / "data.npz")
    raw_test = load_iris().data[data.rows_test]
    for key in pareto:
        for s in range(seeds):
            record = json.loads((folder / "final" / key / f"seed{s}.json").read_text())
            model = faqnas.load_model(folder / "final" / key / f"seed{s}.pt")
            predicted = model.predict(raw_test)
            accuracy = float(np.mean(predicted == np.asarray(data.class_names)[data.y_test]))
            assert accuracy == record["test_accuracy"] == model.test_accuracy
            assert record["epochs"] == CONFIG["final"]["epochs"]
            rebuilt = faqnas.load_model(folder / "final" / key / f"seed{s}.pt", backend="pennylane")
            np.testing.assert_allclose(rebuilt.predict_proba(raw_test), model.predict_proba(raw_test),
                                       atol=1e-6)
    report = (folder / "report.md").read_text()
    assert "## Final re-training" in report and "final_accuracy_vs_flops.png" in report
    assert (folder / "figures" / "final_accuracy_vs_flops.png").stat().st_size > 0
