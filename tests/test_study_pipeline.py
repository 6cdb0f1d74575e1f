"""`snakemake study` on the tiny search: both objectives, two seeds, the tiny
space evaluated exhaustively, and docs/results.md written from the files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import REPO, TINY, VOLATILE, load_config, snakemake
from faqnas.search.space import SearchSpace

pytestmark = pytest.mark.pipeline

STUDY = REPO / "tests" / "configs" / "tiny_study.yaml"
CONFIG = load_config(TINY, STUDY)
SPACE = SearchSpace(CONFIG["search_space"])
SEED = CONFIG["seed"]


def run_study(workdir: Path, *extra: str):
    return snakemake(workdir, "study", "--cores", "2", *extra, "--configfile", str(TINY), str(STUDY))


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("study")
    run_study(workdir)
    return workdir


def records(folder: Path) -> dict[str, dict]:
    out = {}
    for path in sorted(folder.glob("gen*/records/*.json")):
        record = json.loads(path.read_text())
        out[record["phenotype_key"]] = record
    return out


def trained(record: dict) -> dict:
    """What training and profiling produced, without where the search put it."""
    return {k: v for k, v in record.items()
            if k not in (*VOLATILE, "objectives", "generation", "index")}


def test_every_phenotype_is_evaluated_once_and_equals_a_searchs_record(study):
    exhaustive = pd.read_csv(study / "results/iris/exhaustive/evaluations.tsv", sep="\t")
    assert len(exhaustive) == SPACE.n_phenotypes()
    assert exhaustive["phenotype_key"].is_unique
    by_key = exhaustive.set_index("phenotype_key")
    searched = records(study / "results/iris")
    assert searched
    for key, record in searched.items():
        assert by_key.loc[key, "accuracy"] == record["accuracy"]
        assert by_key.loc[key, "F_Q"] == record["flops"]["quantum"]


def test_both_objectives_start_from_the_same_genomes_and_minimise_what_they_say(study):
    agnostic = study / f"results/iris/runs/flops_agnostic-seed{SEED}"
    first = sorted((study / "results/iris/gen0/genomes").glob("*.json"))
    assert [p.read_text() for p in first] == [
        (agnostic / "gen0/genomes" / p.name).read_text() for p in first
    ]
    assert {len(r["objectives"]) for r in records(agnostic).values()} == {2}
    assert {len(r["objectives"]) for r in records(study / "results/iris").values()} == {3}
    # Same seed, same phenotype: the same training, whatever the objectives.
    aware = records(study / "results/iris")
    shared = set(aware) & set(records(agnostic))
    assert shared
    for key in shared:
        assert trained(records(agnostic)[key]) == trained(aware[key])


def test_each_search_is_a_row_measured_against_the_true_front(study):
    searches = pd.read_csv(study / "results/iris/study/searches.tsv", sep="\t")
    expected = {(o, s) for o in ("flops_aware", "flops_agnostic") for s in (SEED, 1)}
    assert set(zip(searches["objectives"], searches["seed"])) == expected
    claims = json.loads((study / "results/iris/study/claims.json").read_text())
    true_volume = claims["exhaustive"]["true_hypervolume"]
    assert (searches["hypervolume"] <= true_volume + 1e-12).all()
    assert searches["share_of_true_hypervolume"].tolist() == pytest.approx(
        (searches["hypervolume"] / true_volume).tolist()
    )
    for _, row in searches.iterrows():
        folder = "iris" if (row.objectives, row.seed) == ("flops_aware", SEED) else (
            f"iris/runs/{row.objectives}-seed{row.seed}")
        evaluated = pd.read_csv(study / "results" / folder / "evaluations.tsv", sep="\t")
        assert row.evaluations == len(evaluated)
        assert row.best_accuracy == evaluated["accuracy"].max()
    spread = {s["objectives"]: s for s in claims["spread"]}
    aware = searches[searches["objectives"] == "flops_aware"]["hypervolume"]
    assert spread["flops_aware"]["seeds"] == 2
    assert spread["flops_aware"]["hypervolume_std"] == pytest.approx(aware.std(ddof=1))


def test_results_page_states_every_claim_config_and_commit_with_its_figures(study):
    page = (study / "docs/results.md").read_text()
    assert "Do not edit" in page
    assert re.search(r"from commit `[0-9a-f]{12}`", page)
    for claim in ("plateaus", "quantum FLOPs drive accuracy", "FLOPs-aware search"):
        assert re.search(rf"\| [^|]*{claim}[^|]* \| iris \|", page), claim
    assert f"seed: {SEED}" in page and "exhaustive_jobs: 4" in page
    figures = re.findall(r"!\[[^]]*\]\(([^)]+)\)", page)
    assert len(figures) == 3
    for figure in figures:
        assert (study / "docs" / figure).read_bytes().startswith(b"\x89PNG")


def test_a_finished_study_reruns_nothing(study):
    result = run_study(study, "--dry-run")
    assert "Nothing to be done" in result.stdout + result.stderr
    assert "faqnas:" not in result.stdout + result.stderr, "the start-up check found the study's searches broken"
