"""The SLURM profile in ``slurm/`` (see docs/cluster.md).

``test_profile_parses`` needs no cluster. ``test_two_rule_workflow_through_slurm``
(marker ``slurm``) runs a throwaway two-rule Snakefile through
``snakemake --profile <repo>/slurm`` against the local cluster started by
tests/slurm_cluster.py, and checks in SLURM's own records that both jobs went
through sbatch. ``test_tiny_search_through_slurm`` (markers ``slurm`` and
``pipeline``) does the same with the real pipeline on tests/configs/tiny.yaml:
every evaluate job (two genomes each) is a SLURM job, the light rules run
locally, the records equal those of a local run, and a rerun submits nothing.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import TINY, stable_records  # noqa: E402
from conftest import snakemake as run_pipeline  # noqa: E402
from slurm_cluster import jobs_submitted_since, slurm_partition  # noqa: E402,F401

REPO = Path(__file__).resolve().parents[1]
PROFILE = REPO / "slurm"

SNAKEFILE = textwrap.dedent("""
    localrules: all

    rule all:
        input: "b.txt"

    rule a:
        output: "a.txt"
        shell: "echo job=$SLURM_JOB_ID host=$(hostname) > {output}"

    rule b:
        input: "a.txt"
        output: "b.txt"
        shell: "cat {input} > {output}; echo job=$SLURM_JOB_ID host=$(hostname) >> {output}"
    """)


def snakemake(*args, cwd, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.slurm
def test_two_rule_workflow_through_slurm(slurm_partition, tmp_path, record_property):
    (tmp_path / "Snakefile").write_text(SNAKEFILE)
    tag = f"faqnastest_{uuid.uuid4().hex[:8]}"  # job names: <tag>_<run uuid>
    args = [
        "--profile", str(PROFILE),
        "--slurm-jobname-prefix", tag,
        "--set-resources", f"a:slurm_partition={slurm_partition}",
        f"b:slurm_partition={slurm_partition}",
    ]  # fmt: skip
    t0 = time.time()
    r = snakemake(*args, cwd=tmp_path)
    wall = time.time() - t0
    record_property("wall_s", round(wall, 1))
    print(f"2-job DAG through SLURM: {wall:.1f} s")
    log = r.stdout + r.stderr
    assert r.returncode == 0, log[-5000:]

    # outputs exist and were written inside SLURM jobs
    lines = (tmp_path / "b.txt").read_text().split("\n")
    assert (tmp_path / "a.txt").read_text().split("\n")[0] == lines[0]
    out_ids = [line.split()[0].removeprefix("job=") for line in lines[:2]]
    assert all(i.isdigit() for i in out_ids), lines

    # SLURM's own records: exactly our two jobs, submitted by sbatch, completed
    jobs = jobs_submitted_since(t0, name_filter=tag, workdir=tmp_path)
    assert len(jobs) == 2, jobs
    assert sorted(j["JobId"] for j in jobs) == sorted(out_ids)
    assert {j["Comment"] for j in jobs} == {"rule_a", "rule_b"}
    assert {j["JobState"] for j in jobs} == {"COMPLETED"}
    assert {j["Partition"] for j in jobs} == {slurm_partition}
    assert all(j["JobName"].startswith(tag + "_") for j in jobs)
    assert "submitted with SLURM jobid" in log
    # the local rule `all` did not go to SLURM; the status query used squeue
    assert "rule_all" not in {j["Comment"] for j in jobs}
    assert "Falling back to 'sacct'" not in log

    # rerunning the same command is a no-op and submits nothing
    t1 = time.time()
    r2 = snakemake(*args, cwd=tmp_path, timeout=120)
    assert r2.returncode == 0, (r2.stdout + r2.stderr)[-3000:]
    assert "Nothing to be done" in r2.stdout + r2.stderr
    assert jobs_submitted_since(t1, name_filter=tag, workdir=tmp_path) == []



@pytest.mark.slurm
@pytest.mark.pipeline
def test_tiny_search_through_slurm(slurm_partition, finished, tmp_path, record_property):
    """The real pipeline through the profile: evaluate jobs on SLURM, two
    genomes each (rules evaluate_0_to_1, evaluate_2_to_3), the rest local."""
    tag = f"faqnassearch_{uuid.uuid4().hex[:8]}"  # job names: <tag>_<run uuid>
    split = tmp_path / "two_per_job.yaml"
    split.write_text("search: {genomes_per_job: 2}\n")
    evaluate = {"evaluate_0_to_1", "evaluate_2_to_3"}
    args = [
        "--profile", str(PROFILE),
        "--configfile", str(TINY), str(split),
        "--slurm-jobname-prefix", tag,
        "--set-resources", *(f"{rule}:slurm_partition={slurm_partition}" for rule in evaluate),
        f"final_train:slurm_partition={slurm_partition}",
        "--",
    ]  # fmt: skip
    t0 = time.time()
    # cwd = the working directory, as a user would start it (sbatch -D is the
    # directory snakemake was started in)
    r = run_pipeline(tmp_path, *args, check=False, cwd=tmp_path, timeout=1200)
    wall = time.time() - t0
    record_property("wall_s", round(wall, 1))
    print(f"tiny search through SLURM: {wall:.1f} s")
    log = r.stdout + r.stderr
    assert r.returncode == 0, log[-5000:]
    # the workflow profile profiles/default is applied as well
    assert re.search(r"workflow specific profile \S*profiles/default", log), log[:500]

    records = stable_records(tmp_path)
    retrained = list(tmp_path.glob("results/iris/final/*/seed*.json"))
    jobs = jobs_submitted_since(t0, name_filter=tag, workdir=tmp_path)
    # every evaluate and final_train job went through sbatch, and nothing else did
    assert len(jobs) == len(records) // 2 + len(retrained) > len(records) // 2 > 0, jobs
    assert {j["JobState"] for j in jobs} == {"COMPLETED"}, jobs
    assert {j["Partition"] for j in jobs} == {slurm_partition}
    rules = [j["Comment"].removeprefix("rule_").split("_wildcards_")[0] for j in jobs]
    assert set(rules) == evaluate | {"final_train"}, jobs
    assert sum(rule in evaluate for rule in rules) == len(records) // 2
    assert all(j["JobName"].startswith(tag + "_") for j in jobs)
    assert log.count("submitted with SLURM jobid") == len(jobs)
    # snakemake's log: "rule <name>:" for a job it submitted, "localrule <name>:"
    # (or "localcheckpoint") for one it ran itself
    assert set(re.findall(r"^rule (\w+):", log, re.M)) == evaluate | {"final_train"}
    local = set(re.findall(r"^local(?:rule|checkpoint) (\w+):", log, re.M))
    assert {"prepare", "propose", "survive", "finalize", "summary", "all"} <= local
    assert "Falling back to 'sacct'" not in log

    # same seed, same records as the local run
    assert records == stable_records(finished)

    # rerunning the same command is a no-op and submits nothing
    t1 = time.time()
    r2 = run_pipeline(tmp_path, *args, check=False, cwd=tmp_path, timeout=300)
    assert r2.returncode == 0, (r2.stdout + r2.stderr)[-3000:]
    assert "Nothing to be done" in r2.stdout + r2.stderr
    assert jobs_submitted_since(t1, name_filter=tag, workdir=tmp_path) == []



def test_profile_parses(tmp_path):
    """Every key is a snakemake/plugin option (unknown keys are rejected).

    Defined after the slurm test on purpose: with slurm installed but no
    controller running, the plugin's import calls `scontrol show config`,
    which waits 10 s for the controller.
    """
    prof = yaml.safe_load((PROFILE / "config.yaml").read_text())
    assert prof["executor"] == "slurm"
    assert "cpus_per_task" not in prof.get("default-resources", {})
    assert prof["slurm-status-command"] == "squeue"
    (tmp_path / "Snakefile").write_text(SNAKEFILE)
    r = snakemake("--profile", str(PROFILE), "-n", cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "Using profile" in r.stdout + r.stderr
