"""No command exits 0 over a broken results tree (issue #11), through real Snakemake.

Each test damages a copy of the finished tiny search the way a user or a
killed run would, runs the README's command twice, and checks both exit
codes and the final tree: equal to the uninterrupted search, nothing trained
again, the Pareto set and report made from the current records.
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest

from golden.snapshot import snapshot

from conftest import TINY, run_search, snakemake
from test_data import MNIST_FILES, write_csv, write_mnist

pytestmark = pytest.mark.pipeline

NOTHING = "Nothing to be done"


def output(result) -> str:
    return result.stdout + result.stderr


@pytest.fixture
def tree(finished, tmp_path) -> Path:
    """A copy of the finished tiny search to damage."""
    shutil.copytree(finished, tmp_path, dirs_exist_ok=True)
    return tmp_path


def iris(workdir: Path) -> Path:
    return workdir / "results" / "iris"


def started(workdir: Path) -> dict[str, float]:
    """When each record's training started (unchanged if it was not trained again)."""
    return {str(p.relative_to(workdir)): json.loads(p.read_text())["timestamps"]["started"]
            for p in iris(workdir).glob("gen*/records/*.json")}


def last_generation(workdir: Path) -> int:
    return max(int(p.name[3:]) for p in iris(workdir).glob("gen*"))


def edit(path: Path, **changes) -> None:
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def mark_incomplete(workdir: Path, path: str) -> Path:
    """Snakemake's marker of an output whose job it has not seen finish."""
    marker = workdir / ".snakemake" / "incomplete" / base64.urlsafe_b64encode(path.encode()).decode()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text('{"external_jobid": null}')
    return marker


def markers(workdir: Path) -> list[Path]:
    return [p for p in (workdir / ".snakemake" / "incomplete").rglob("*") if p.is_file()]


def assert_rebuilt_as_uninterrupted(workdir: Path, finished: Path, first, second) -> None:
    assert first.returncode == 0, output(first)
    assert second.returncode == 0 and NOTHING in output(second), output(second)
    assert snapshot(workdir) == snapshot(finished)
    assert started(workdir) == started(finished), "a finished evaluation was trained again"
    for name in ["report.md", "figures/accuracy_vs_flops.png", "figures/hypervolume.png"]:
        assert (iris(workdir) / name).stat().st_size > 0, name
    assert (workdir / "results/summary/summary.tsv").exists()
    assert markers(workdir) == []


def test_every_corrupt_record_is_named_moved_aside_and_rebuilt_without_training(tree, finished):
    """Cases 1 and 2: accuracy 2.0, a file cut in half, a phenotype key that does not match its genes."""
    last = last_generation(tree)
    damaged = ["results/iris/gen0/records/1.json", "results/iris/gen1/records/2.json",
               f"results/iris/gen{last}/records/0.json"]
    edit(tree / damaged[0], accuracy=2.0)
    text = (tree / damaged[1]).read_text()
    (tree / damaged[1]).write_text(text[: len(text) // 2])
    edit(tree / damaged[2], phenotype_key="q2_angle_L1_RX_CNOT_linear")
    report = (iris(tree) / "report.md").stat().st_mtime_ns

    first, second = run_search(tree, check=False), run_search(tree, check=False)
    out = output(first)
    assert f"{damaged[0]}: invalid at accuracy: 2.0 is greater than the maximum of 1" in out
    assert f"{damaged[1]}: not valid JSON" in out
    assert f"{damaged[2]}: phenotype_key 'q2_angle_L1_RX_CNOT_linear' does not match its genes" in out
    assert "deleted results/iris/pareto.json" in out and "deleted results/iris/report.md" in out
    assert_rebuilt_as_uninterrupted(tree, finished, first, second)
    rejected = sorted(str(p.relative_to(iris(tree))).split("/", 2)[2] for p in iris(tree).glob("rejected/*/gen*/records/*.json"))
    assert rejected == sorted(d.removeprefix("results/iris/") for d in damaged), "user data is moved, not deleted"
    assert (iris(tree) / "report.md").stat().st_mtime_ns > report, "the report was not rebuilt"


def test_tree_left_by_a_failed_survive_is_repaired(tree, finished):
    """Case 1: Snakemake deleted the failed checkpoint's outputs, the corrupt record stayed."""
    edit(iris(tree) / "gen0/records/1.json", accuracy=2.0)
    for name in ("population.json", "status.json"):
        (iris(tree) / "gen0" / name).unlink()
    first, second = run_search(tree, check=False), run_search(tree, check=False)
    assert "results/iris/gen0/records/1.json: invalid at accuracy" in output(first)
    assert_rebuilt_as_uninterrupted(tree, finished, first, second)


def test_tree_left_by_a_failed_finalize_is_rebuilt(tree, finished):
    """Case 1: finalize's outputs deleted, the old figures and report.md still there."""
    for name in ("pareto.json", "pareto.tsv", "top_k.tsv", "compromise.json", "evaluations.tsv",
                 "progress.tsv", "summary.json"):
        (iris(tree) / name).unlink()
    first, second = run_search(tree, check=False), run_search(tree, check=False)
    assert "deleted results/iris/report.md: finalize's outputs are incomplete" in output(first)
    assert_rebuilt_as_uninterrupted(tree, finished, first, second)


def test_a_deleted_record_is_refused_by_a_dry_run_and_rebuilt_by_a_run(tree, finished):
    """Case 1: a record deleted by hand is remade from its stored evaluation, not trained."""
    record = iris(tree) / "gen1" / "records" / "2.json"
    original = record.read_bytes()
    record.unlink()
    files = sorted(p for p in tree.rglob("*") if ".snakemake" not in p.parts)
    dry = run_search(tree, "-n", check=False)
    assert dry.returncode != 0 and NOTHING not in output(dry)
    assert "results/iris/gen1/records/2.json is missing; its evaluate job remakes it" in output(dry)
    assert "would delete results/iris/gen1/population.json" in output(dry)
    assert f"--directory {tree} --cores 2 --configfile {TINY}" in output(dry), "the repairing command"
    assert sorted(p for p in tree.rglob("*") if ".snakemake" not in p.parts) == files, "a dry run changed the tree"

    first, second = run_search(tree, check=False), run_search(tree, check=False)
    assert_rebuilt_as_uninterrupted(tree, finished, first, second)
    assert record.read_bytes() == original


def test_complete_records_left_marked_by_a_kill_are_kept(tree, finished):
    """Case 4: written completely, then SIGKILL before Snakemake marked the job done.

    Snakemake itself would retrain the generation-0 record (and rebuild the
    whole search after it) and keep the later marker forever.
    """
    last = last_generation(tree)
    mark_incomplete(tree, "results/iris/gen0/records/1.json")
    mark_incomplete(tree, f"results/iris/gen{last}/records/3.json")
    mtimes = {p: p.stat().st_mtime_ns for p in iris(tree).glob("gen*/records/*.json")}
    first, second = run_search(tree, check=False), run_search(tree, check=False)
    assert "kept results/iris/gen0/records/1.json: complete" in output(first)
    assert f"kept results/iris/gen{last}/records/3.json: complete" in output(first)
    assert NOTHING in output(first), "a complete tree was rebuilt"
    assert_rebuilt_as_uninterrupted(tree, finished, first, second)
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


# ------------------------------------------------------------------ case 3: data


def _csv(tmp_path, rows, label="label"):
    csv = write_csv(tmp_path / "flowers.csv", ["a", "b", "label"], rows)
    return csv, f"datasets: [flowers]\ncsv_datasets: {{flowers: {{csv: {csv}, label_column: {label}}}}}\n"


def _mnist(tmp_path, damage):
    root = write_mnist(tmp_path / "mnist")
    path = damage(root)
    return path, f"datasets: [mnist]\ndata: {{mnist: {{root: {root}}}}}\n"


GOOD_ROWS = [[1, 2, "x"], [3, 1, "y"], [5, 6, "x"], [7, 8, "y"], [9, 1, "x"], [2, 2, "y"]]
DATA_PROBLEMS = {
    "missing csv": lambda tmp: (tmp / "absent.csv",
                                f"datasets: [flowers]\ncsv_datasets: {{flowers: {{csv: {tmp / 'absent.csv'}, label_column: label}}}}\n",
                                "does not exist"),
    "nan cell": lambda tmp: (*_csv(tmp, [[1, "nan", "x"], *GOOD_ROWS]), "NaN"),
    "wrong label column": lambda tmp: (*_csv(tmp, GOOD_ROWS, label="species"), "label column 'species' not found"),
    "empty mnist folder": lambda tmp: (*_mnist(tmp, lambda root: [p.unlink() for p in root.iterdir()] and root), "not found"),
    "truncated idx": lambda tmp: (*_mnist(tmp, lambda root: (root / MNIST_FILES["train_images"]).write_bytes(
        (root / MNIST_FILES["train_images"]).read_bytes()[:-100]) and root / MNIST_FILES["train_images"]), "truncated"),
}


@pytest.mark.parametrize("case", DATA_PROBLEMS)
def test_bad_data_fails_a_dry_run_before_any_job(tmp_path, case):
    path, override, problem = DATA_PROBLEMS[case](tmp_path)
    config = tmp_path / "data.yaml"
    config.write_text(override)
    result = run_search(tmp_path, "-n", "--configfile", str(TINY), str(config), check=False)
    out = output(result)
    assert result.returncode != 0
    assert str(path) in out and problem in out, out
    assert "dataset sources are not usable" in out
    assert not (tmp_path / "results").exists()


def test_editing_the_csv_after_a_run_is_refused_with_the_key(tmp_path):
    """Case 5: the CSV is prepare's input, and results are tied to its content."""
    csv, override = _csv(tmp_path, GOOD_ROWS)
    config = tmp_path / "csv.yaml"
    config.write_text(override)
    args = ("--cores", "2", "--configfile", str(TINY), str(config))
    dry = snakemake(tmp_path, "-n", *args)
    assert f"input: {csv}" in output(dry), "prepare does not declare the CSV as input"
    snakemake(tmp_path, "results/flowers/data.json", *args)
    stored = json.loads((tmp_path / "results/flowers/search.json").read_text())
    assert set(stored["source"]) == {"csv"}

    csv.write_text(csv.read_text().replace("9,1,x", "9,3,x"))
    for extra in (("-n",), ()):
        refused = snakemake(tmp_path, *extra, *args, check=False)
        out = output(refused)
        assert refused.returncode != 0
        assert f"source.csv: results have \"{stored['source']['csv']}\"" in out
        assert "the data changed since these results were made" in out
        assert "start that dataset afresh with: mv results/flowers results/flowers.old-" in out
    assert json.loads((tmp_path / "results/flowers/search.json").read_text()) == stored
    csv.write_text(csv.read_text().replace("9,3,x", "9,1,x"))
    assert snakemake(tmp_path, "-n", *args).returncode == 0
