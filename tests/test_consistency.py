"""The start-up check of a results tree, on searches made without training."""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

import pytest

from faqnas.pipeline.config import EXTENDABLE
from faqnas.pipeline.consistency import ConsistencyError, check_tree, searches, settle
from faqnas.pipeline.markers import clear_marker, incomplete_markers
from faqnas.evaluation.reuse import EvaluationKey, store_folder

from conftest import TINY, load_config
from synthetic import build_tree

CONFIG = load_config(TINY)
EVOLUTION = {k: v for k, v in CONFIG["search"].items() if k not in EXTENDABLE["search"]}
P = CONFIG["search"]["population"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("tree")
    build_tree(workdir / "results", CONFIG)
    return workdir


@pytest.fixture
def tree(built, tmp_path) -> Path:
    """A finished tiny search (made-up training) to damage; the working directory."""
    shutil.copytree(built, tmp_path, dirs_exist_ok=True)
    return tmp_path


def plan_of(workdir: Path):
    return check_tree(CONFIG, workdir / "results", workdir / ".snakemake", EVOLUTION)


def edit(path: Path, **changes) -> None:
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data))


def mark(workdir: Path, path: str, max_len: int = 255) -> Path:
    """An incomplete marker as Snakemake 9 writes it (persistence/file.py)."""
    encoded = base64.urlsafe_b64encode(path.encode()).decode()
    parts = [encoded[i : i + max_len - 1] for i in range(0, len(encoded), max_len - 1)]
    marker = workdir / ".snakemake" / "incomplete" / Path(*["@" + p for p in parts[:-1]], parts[-1])
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text('{"external_jobid": null}')
    return marker


def generations(workdir: Path) -> int:
    return len(list((workdir / "results" / "iris").glob("gen*")))


def test_a_consistent_tree_needs_nothing(tree):
    plan = plan_of(tree)
    assert (plan.repairs, plan.store, plan.clear, plan.forget) == (0, {}, {}, [])


def test_corrupt_records_are_all_moved_aside_and_what_follows_deleted(tree):
    folder = tree / "results" / "iris"
    last = generations(tree) - 1
    edit(folder / "gen0/records/1.json", accuracy=2.0)
    text = (folder / f"gen{last}/records/2.json").read_text()
    (folder / f"gen{last}/records/2.json").write_text(text[: len(text) // 2])
    edit(folder / f"gen{last}/records/3.json", phenotype_key="q9_nonsense")
    plan = plan_of(tree)
    assert set(plan.move) == {folder / "gen0/records/1.json", folder / f"gen{last}/records/2.json",
                              folder / f"gen{last}/records/3.json"}
    assert "invalid at accuracy" in plan.move[folder / "gen0/records/1.json"]
    deleted = set(plan.delete)
    for g in range(last + 1):
        assert {folder / f"gen{g}/population.json", folder / f"gen{g}/status.json"} <= deleted
    assert {folder / "pareto.json", folder / "report.md", folder / "figures"} <= deleted
    assert tree / "results/summary/summary.tsv" not in deleted, "absent files are not listed"
    assert not any(p.relative_to(folder).parts[1] in ("genomes", "records") for p in deleted if p.parent != folder), \
        "user data is only moved"


def test_apply_moves_to_rejected_and_deletes(tree):
    folder = tree / "results" / "iris"
    edit(folder / "gen0/records/1.json", accuracy=2.0)
    lines = settle(CONFIG, tree / "results", tree / ".snakemake", EVOLUTION, repair=True, command="x")
    assert "inconsistent" in lines[0] and any("gen0/records/1.json" in line for line in lines)
    moved = list(folder.glob("rejected/*/gen0/records/1.json"))
    assert len(moved) == 1 and json.loads(moved[0].read_text())["accuracy"] == 2.0
    assert not (folder / "gen0/records/1.json").exists()
    assert not (folder / "gen0/population.json").exists() and not (folder / "pareto.json").exists()
    assert (folder / "gen0/records/0.json").exists() and (folder / "gen0/genomes/1.json").exists()


def test_a_dry_run_changes_nothing_and_lists_every_problem_with_the_command(tree):
    folder = tree / "results" / "iris"
    edit(folder / "gen0/records/1.json", accuracy=2.0)
    (folder / "gen1/records/0.json").unlink()
    before = sorted(p for p in tree.rglob("*"))
    with pytest.raises(ConsistencyError) as err:
        settle(CONFIG, tree / "results", tree / ".snakemake", EVOLUTION, repair=False, command="snakemake --cores 2")
    message = str(err.value)
    assert "gen0/records/1.json: invalid at accuracy" in message
    assert f"{folder}/gen1/records/0.json is missing; its evaluate job remakes it" in message
    assert "would delete" in message
    assert message.rstrip().endswith("snakemake --cores 2")
    assert sorted(p for p in tree.rglob("*")) == before


def test_a_deleted_record_invalidates_its_generation(tree):
    folder = tree / "results" / "iris"
    (folder / "gen1/records/2.json").unlink()
    plan = plan_of(tree)
    assert plan.move == {}
    assert folder / "gen0/population.json" not in plan.delete
    assert "gen1/records/2.json" in plan.delete[folder / "gen1/population.json"]
    assert folder / "pareto.json" in plan.delete


@pytest.mark.parametrize("name", ["population.json", "status.json"])
def test_a_missing_checkpoint_output_is_a_hole(tree, name):
    folder = tree / "results" / "iris"
    (folder / "gen0" / name).unlink()
    plan = plan_of(tree)
    assert folder / "gen1/population.json" in plan.delete and folder / "pareto.json" in plan.delete


def test_the_last_population_missing_makes_the_report_stale(tree):
    folder = tree / "results" / "iris"
    last = generations(tree) - 1
    (folder / f"gen{last}/population.json").unlink()
    (folder / f"gen{last}/status.json").unlink()
    plan = plan_of(tree)
    assert "has not reached its last generation" in plan.delete[folder / "pareto.json"]


def test_a_population_that_does_not_follow_from_its_records(tree):
    folder = tree / "results" / "iris"
    population = json.loads((folder / "gen0/population.json").read_text())
    population["members"][0]["crowding"] = 0.5
    (folder / "gen0/population.json").write_text(json.dumps(population))
    plan = plan_of(tree)
    assert plan.delete[folder / "gen0/population.json"] == "does not follow from the generation's records"


def test_a_consistently_edited_record_disagrees_with_its_stored_evaluation(tree):
    folder = tree / "results" / "iris"
    record = json.loads((folder / "gen0/records/0.json").read_text())
    accuracy = 1.0 if record["accuracy"] != 1.0 else 0.0
    objectives = [record["objectives"][0], 1 - accuracy, record["objectives"][2]]
    edit(folder / "gen0/records/0.json", accuracy=accuracy, objectives=objectives,
         training={**record["training"], "best_accuracy": accuracy, "accuracy_per_epoch": [accuracy]})
    plan = plan_of(tree)
    assert "disagrees with its stored evaluation" in plan.move[folder / "gen0/records/0.json"]


def test_a_record_of_another_seed_or_training_is_refused(tree):
    folder = tree / "results" / "iris"
    record = json.loads((folder / "gen0/records/0.json").read_text())
    edit(folder / "gen0/records/0.json", training={**record["training"], "lr": 0.5})
    edit(folder / "gen0/records/1.json", seed=12345)
    plan = plan_of(tree)
    assert "training.lr 0.5 is not the configured 0.003" in plan.move[folder / "gen0/records/0.json"]
    assert "seed 12345 is not the seed of this search" in plan.move[folder / "gen0/records/1.json"]


def test_a_bad_stored_evaluation_is_moved_aside_and_stored_again(tree):
    folder = tree / "results" / "iris"
    record = json.loads((folder / "gen0/records/0.json").read_text())
    key = EvaluationKey(record["phenotype_key"], json.loads((folder / "data.json").read_text())["sha256"],
                        record["seed"], CONFIG["training"])
    stored = key.path(store_folder(tree / "results", "iris"))
    stored.write_text("{")
    plan = plan_of(tree)
    assert list(plan.move) == [stored] and plan.delete == {}
    assert stored in plan.store
    settle(CONFIG, tree / "results", tree / ".snakemake", EVOLUTION, repair=True, command="x")
    assert json.loads(stored.read_text())["accuracy"] == record["accuracy"]
    assert plan_of(tree).repairs == 0


def test_records_made_before_the_store_get_their_evaluations_stored(built, tmp_path):
    build_tree(tmp_path / "results", CONFIG, store=False)
    plan = plan_of(tmp_path)
    assert plan.repairs == 0 and len(plan.store) == P * generations(tmp_path)
    lines = settle(CONFIG, tmp_path / "results", tmp_path / ".snakemake", EVOLUTION, repair=True, command="x")
    assert lines == [f"stored the evaluations of existing records in {tmp_path / 'results/iris/evaluations'}, for reuse"]
    assert plan_of(tmp_path).store == {}


def test_markers_on_complete_files_are_cleared_and_on_others_the_file_goes(tree):
    folder = tree / "results" / "iris"
    kept = mark(tree, "results/iris/gen1/records/0.json")
    population = mark(tree, "results/iris/gen1/population.json")
    report = mark(tree, "results/iris/report.md")
    gone = mark(tree, "results/iris/gen1/records/9.json")
    plan = plan_of(tree)
    assert plan.clear == {folder / "gen1/records/0.json": kept, folder / "gen1/population.json": population}
    assert plan.forget == [gone]
    assert "was being written when its job was killed" in plan.delete[folder / "pareto.json"]
    settle(CONFIG, tree / "results", tree / ".snakemake", EVOLUTION, repair=True, command="x")
    assert not any(m.exists() for m in (kept, population, report, gone))
    assert (folder / "gen1/records/0.json").exists() and not (folder / "report.md").exists()
    assert incomplete_markers(tree / ".snakemake") == {}


def test_long_marker_names_round_trip(tmp_path):
    path = "results/" + "x" * 400 + "/records/0.json"
    marker = mark(tmp_path, path, max_len=100)
    assert marker.parent.name.startswith("@")
    assert incomplete_markers(tmp_path / ".snakemake") == {path: marker}
    clear_marker(marker, tmp_path / ".snakemake")
    assert not (tmp_path / ".snakemake" / "incomplete" / marker.relative_to(tmp_path / ".snakemake" / "incomplete").parts[0]).exists()


def test_study_searches_are_covered(tmp_path):
    config = load_config(TINY)
    (tmp_path / "results/iris/runs/flops_agnostic-seed7").mkdir(parents=True)
    (tmp_path / "results/iris/runs/flops_aware-seed1").mkdir()
    (tmp_path / "results/iris/runs/not-a-search").mkdir()
    found = [(s.folder.relative_to(tmp_path), s.objectives, s.seed, s.primary) for s in searches(config, tmp_path / "results")]
    assert found == [(Path("results/iris"), "flops_aware", 7, True),
                     (Path("results/iris/runs/flops_agnostic-seed7"), "flops_agnostic", 7, False),
                     (Path("results/iris/runs/flops_aware-seed1"), "flops_aware", 1, False)]


def test_records_older_than_the_prepared_data_are_not_stored(tmp_path):
    """prepare ran again after them: Snakemake retrains them, their results must not be reused."""
    build_tree(tmp_path / "results", CONFIG, store=False)
    data = tmp_path / "results/iris/data.json"
    later = max(p.stat().st_mtime for p in tmp_path.rglob("*.json")) + 10
    os.utime(data, (later, later))
    assert plan_of(tmp_path).store == {}
