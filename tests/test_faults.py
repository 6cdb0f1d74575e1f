"""Bad input is refused before work starts; a killed run resumes without loss."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import TINY, run_search, snakemake_command, stable_records

pytestmark = pytest.mark.pipeline


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_bad_config_is_refused_before_any_job(tmp_path):
    bad = write(tmp_path / "bad.yaml", "search: {crossover_prob: 1.5, population: 1}\ndatasets: [iris, cifar]\n")
    result = run_search(tmp_path, "--configfile", str(TINY), str(bad), check=False)
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "search.crossover_prob = 1.5: allowed is number >= 0 and <= 1" in out
    assert "search.population = 1: allowed is integer >= 2" in out
    assert not (tmp_path / "results").exists()


def test_unknown_dataset_is_refused_with_the_allowed_names(tmp_path):
    bad = write(tmp_path / "bad.yaml", "datasets: [iris, cifar]\n")
    result = run_search(tmp_path, "--configfile", str(TINY), str(bad), check=False)
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "unknown dataset 'cifar'" in out and "'digits'" in out
    assert not (tmp_path / "results").exists()


def test_csv_with_nans_is_refused_before_any_job_naming_file_and_column(tmp_path):
    csv = write(tmp_path / "flowers.csv", "a,b,label\n1,2,x\n3,,y\n5,6,x\n7,8,y\n9,1,x\n2,2,y\n")
    cfg = write(tmp_path / "csv.yaml", f"datasets: [flowers]\ncsv_datasets: {{flowers: {{csv: {csv}, label_column: label}}}}\n")
    result = run_search(tmp_path, "--configfile", str(TINY), str(cfg), check=False)
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert str(csv) in out and "'b'" in out
    assert not (tmp_path / "results").exists(), "a job ran on bad data"


# A corrupt record is repaired by the next run: tests/test_repairs.py.


def incomplete(workdir: Path, path: Path) -> bool:
    """Whether Snakemake still marks ``path`` as the output of an unfinished job."""
    key = str(path.relative_to(workdir)).encode()
    return (workdir / ".snakemake" / "incomplete" / base64.b64encode(key).decode()).exists()


def test_sigkill_mid_generation_resumes_to_the_uninterrupted_result(finished, tmp_path):
    run = subprocess.Popen(
        snakemake_command(tmp_path, "--cores", "2", "--configfile", str(TINY)),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    target = tmp_path / "results" / "iris" / "gen1" / "records"
    deadline = time.time() + 300
    while time.time() < deadline and run.poll() is None and len(list(target.glob("*.json"))) < 1:
        time.sleep(0.1)
    assert run.poll() is None, "the run ended before it could be killed mid-generation"
    os.killpg(run.pid, signal.SIGKILL)  # Snakemake and every job it started
    run.wait()

    written = {}  # every record completely written when the run was killed
    for path in tmp_path.glob("results/iris/gen*/records/*.json"):
        try:
            written[path] = json.loads(path.read_text())["timestamps"]["started"]
        except ValueError:
            pass
    kept = {p: p.stat().st_mtime_ns for p in tmp_path.glob("results/iris/gen*/records/*.json")
            if not incomplete(tmp_path, p)}
    assert kept, "nothing had finished when the run was killed"
    assert len(kept) < len(stable_records(finished)), "the run had finished before it was killed"

    run_search(tmp_path)  # the same command again, twice
    again = run_search(tmp_path)
    assert "Nothing to be done" in again.stdout + again.stderr
    assert {p: p.stat().st_mtime_ns for p in kept} == kept, "finished genomes were trained again"
    assert {p: json.loads(p.read_text())["timestamps"]["started"] for p in written} == written, \
        "a record written before the kill was trained again"
    assert stable_records(tmp_path) == stable_records(finished)
    pareto = [json.loads((d / "results" / "iris" / "pareto.json").read_text()) for d in (tmp_path, finished)]
    assert [r["phenotype_key"] for r in pareto[0]] == [r["phenotype_key"] for r in pareto[1]]
    assert not [p for p in (tmp_path / ".snakemake" / "incomplete").rglob("*") if p.is_file()], \
        "incomplete markers outlived the successful run"
