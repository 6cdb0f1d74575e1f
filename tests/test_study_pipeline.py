"""`snakemake study` on the tiny space: its tables made by the real pipeline,
then docs/results.md from them alone, again in a fresh folder holding only
the committed files, without any training."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import REPO, TINY, load_config, snakemake

pytestmark = pytest.mark.pipeline

STUDY = REPO / "tests" / "configs" / "tiny_study.yaml"
CONFIG = load_config(TINY, STUDY)
# What a fresh clone's `snakemake study` may run: nothing that trains or profiles.
STUDY_RULES = {"replays", "claims", "results_doc", "study"}


def run(workdir: Path, *targets: str, extra=()):
    # Targets after "--": --configfile takes several values.
    return snakemake(workdir, "--cores", "2", *extra, "--configfile", str(TINY), str(STUDY),
                     "--", *targets)


def planned_rules(workdir: Path) -> set[str]:
    """The rules `snakemake study` would run now (a dry run)."""
    result = run(workdir, "study", extra=("--dry-run",))
    return set(re.findall(r"^rule (\w+):", result.stdout, re.MULTILINE))


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    """The tiny tables and FLOPs table made, then the study run on them."""
    workdir = tmp_path_factory.mktemp("study")
    run(workdir, "tables", "flops_table")
    run(workdir, "study")
    return workdir


def checked_out(source: Path, workdir: Path) -> None:
    """Copy ``source``'s docs/tables into ``workdir`` as a git checkout may
    leave them: older than the workflow's scripts (a checkout's file times
    follow no order), which Snakemake reads as the scripts having changed."""
    shutil.copytree(source / "docs" / "tables", workdir / "docs" / "tables")
    for path in (workdir / "docs" / "tables").rglob("*"):
        os.utime(path, (0, 0))


@pytest.fixture(scope="module")
def clone(study, tmp_path_factory) -> Path:
    """A folder with only what a clone holds (docs/tables), the study run in it."""
    workdir = tmp_path_factory.mktemp("clone")
    checked_out(study, workdir)
    assert planned_rules(workdir) == STUDY_RULES
    run(workdir, "study")
    return workdir


def page_rows(page: str) -> list[str]:
    return [line for line in page.splitlines() if line.startswith("| ")]


def test_the_page_states_every_claim_with_its_test_and_verdict(study):
    page = (study / "docs" / "results.md").read_text()
    assert "Do not edit" in page and re.search(r"from commit `[0-9a-f]{12}`", page)
    for claim in ("plateau", "drivers", "awareness"):
        assert re.search(rf"^\| {claim} \| iris \|", page, re.MULTILINE), claim
    assert re.search(r"^\| budget \| all \| .* \| not measured: no live mnist searches \|$",
                     page, re.MULTILINE)
    assert "measured after 4, 8, 12 evaluations" in page
    assert "On a table, 4 paired search seeds" in page
    seeds = "Search seeds (← the table seed whose training each saw): 7, 8, 1 ← 7, 2 ← 8."
    assert seeds in page
    figures = re.findall(r"!\[[^]]*\]\(([^)]+)\)", page)
    assert sorted(figures) == ["results/iris_anytime.png", "results/iris_paper.png",
                               "results/iris_plateau.png"]
    for figure in figures:
        assert (study / "docs" / figure).read_bytes().startswith(b"\x89PNG")


def test_every_variant_seed_and_budget_is_measured(study):
    measures = pd.read_csv(study / "results" / "study" / "iris" / "measures.tsv", sep="\t")
    assert len(measures) == 4 * CONFIG["study"]["replays"] * len(CONFIG["study"]["budgets"])
    assert measures["share"].between(0, 1).all()
    # Budget 4 is the initial population, the same for every variant of a seed.
    first = measures[measures["budget"] == 4].groupby("seed")["share"].nunique()
    assert (first == 1).all()


def test_a_fresh_clone_regenerates_the_page_without_training(study, clone):
    made, again = ((folder / "docs" / "results.md").read_text() for folder in (study, clone))
    # The same page but for the header's time.
    assert page_rows(made) == page_rows(again)
    assert not (clone / "results" / "iris" / "data.npz").exists()
    assert not (clone / "results" / "tables").exists()


def test_a_finished_study_reruns_nothing(study):
    assert planned_rules(study) == set()


def test_a_clone_never_remakes_a_published_table(clone):
    result = run(clone, "tables", "flops_table", "study", extra=("--dry-run",))
    assert "Nothing to be done" in result.stdout + result.stderr


def test_a_clone_studies_the_published_live_searches_without_running_them(tmp_path):
    """The committed MNIST live searches (docs/tables/live/mnist.*), in a
    clone that has no search results: the study reads them and runs none."""
    override = tmp_path / "live.yaml"
    override.write_text("study: {live: [mnist]}\n")
    checked_out(REPO, tmp_path)
    result = snakemake(tmp_path, "--cores", "2", "--dry-run", "--configfile", str(TINY),
                       str(STUDY), str(override), "--", "live", "study")
    assert set(re.findall(r"^rule (\w+):", result.stdout, re.MULTILINE)) == STUDY_RULES
    assert "docs/tables/live/mnist.tsv.gz" in result.stdout


def test_snakemake_live_publishes_every_live_search_of_a_dataset(tmp_path):
    """A dry run: `live` joins each objective's search with each seed."""
    override = tmp_path / "live.yaml"
    override.write_text("study: {live: [iris], seeds: {iris: [1]}}\n")
    result = snakemake(tmp_path, "--cores", "2", "--dry-run", "--configfile", str(TINY),
                       str(STUDY), str(override), "--", "live")
    (job,) = re.findall(r"rule live_table:\n(?:    .*\n)*?    input: (.*)\n", result.stdout)
    searches = sorted(path for path in job.split(", ") if path.endswith("evaluations.tsv"))
    assert searches == sorted([
        "results/iris/evaluations.tsv",  # the configured search: FLOPs-aware, seed 7
        "results/iris/runs/flops_aware-seed1/evaluations.tsv",
        "results/iris/runs/flops_agnostic-seed7/evaluations.tsv",
        "results/iris/runs/flops_agnostic-seed1/evaluations.tsv"])
    assert "docs/tables/live/iris.tsv.gz" in result.stdout
