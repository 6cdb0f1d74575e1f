"""Where a whole search's time goes: training against job start-up.

Runs the real pipeline in a fresh working directory, first the search
(`snakemake --cores N results/{dataset}/summary.json`), then the final
re-training and the report (`results/{dataset}/report.md`), and prints for
each: wall time, the CPU of the whole command (Snakemake and every job it
started, from the kernel's accounting of its children), split into
Snakemake's own process and its jobs, the jobs' CPU by rule (Snakemake's
benchmark files, which undercount it), and for the search the sum of the
records' training seconds and the overhead factor, CPU of all jobs over
training seconds.

    python bench/bench_search.py iris                          # default protocol, 2 cores
    python bench/bench_search.py digits --protocol paper       # the paper's protocol
    python bench/bench_search.py mnist --configfile my.yaml
    python bench/bench_search.py iris --genomes-per-job 1      # one job per genome

The working directory gets the committed FLOPs table (docs/tables/flops.tsv.gz),
as a clone of the repository has it, unless --no-published-flops.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import psutil
from bench_training_step import machine

REPO = Path(__file__).resolve().parents[1]
POLL_SECONDS = 0.5


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str]) -> tuple[float, float, float]:
    """Wall and CPU seconds of a command and everything it started, and the
    CPU seconds of the command's own process (Snakemake), last read within
    ``POLL_SECONDS`` of its end."""
    cpu, start = children_cpu(), time.perf_counter()
    process = subprocess.Popen(cmd)
    own = 0.0
    with contextlib.suppress(psutil.Error):
        watched = psutil.Process(process.pid)
        while process.poll() is None:
            times = watched.cpu_times()
            own = times.user + times.system
            time.sleep(POLL_SECONDS)
    if process.wait():
        raise subprocess.CalledProcessError(process.returncode, cmd)
    return time.perf_counter() - start, children_cpu() - cpu, own


def job_cpu(folder: Path, seen: set[Path]) -> dict[str, list[float]]:
    """CPU seconds of each job whose benchmark file is not in ``seen``, by rule
    (the benchmark file's name without generation or genome indices)."""
    by_rule = defaultdict(list)
    for path in sorted(folder.rglob("benchmarks/**/*.tsv")):
        if path in seen:
            continue
        seen.add(path)
        row = next(csv.DictReader(path.open(), delimiter="\t"))
        rule = re.sub(r"_\d+(_to_\d+)?$", "", path.stem)  # evaluate_7, evaluate_0_to_19: evaluate
        by_rule[rule].append(float(row["cpu_time"]) if row["cpu_time"] != "NA" else 0.0)
    return by_rule


def report(
    stage: str, wall: float, cpu: float, own: float, by_rule: dict[str, list[float]]
) -> float:
    """Print a stage's times; return the CPU of its jobs (the command's less Snakemake's own).

    The per-rule figures are Snakemake's benchmark files, whose CPU is sampled
    while a job runs and so misses up to a sampling interval at its end: they
    show where the jobs' CPU goes, and undercount it (on full MNIST by a quarter).
    """
    jobs = cpu - own
    print(f"{stage}: wall {wall:.1f} s, CPU of the command {cpu:.1f} s: Snakemake itself "
          f"{own:.1f} s, its jobs {jobs:.1f} s; per rule, as Snakemake's benchmark "
          "files sample it:")
    for rule, seconds in sorted(by_rule.items(), key=lambda kv: -sum(kv[1])):
        print(f"    {rule:28s} {len(seconds):5d} jobs {sum(seconds):8.1f} s CPU "
              f"({sum(seconds) / len(seconds):.2f} s a job)")
    return jobs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--protocol", choices=["held_out", "paper"], help="data.protocol (default: the config's)")
    parser.add_argument("--genomes-per-job", help="search.genomes_per_job (default: the config's)")
    parser.add_argument("--configfile", nargs="*", default=[], help="overrides on top of config/config.yaml")
    parser.add_argument("--workdir", type=Path, help="keep the run here (default: a temporary folder)")
    parser.add_argument("--search-only", action="store_true", help="skip the final re-training")
    parser.add_argument("--no-published-flops", action="store_true",
                        help="profile every circuit on PennyLane instead of reading the committed "
                             "FLOPs table, as a working directory without docs/tables/ does")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix=f"faqnas-bench-{args.dataset}-"))
    workdir.mkdir(parents=True, exist_ok=True)
    # The default MNIST root is relative to the repository, not to workdir.
    override = {"datasets": [args.dataset],
                "data": {"mnist": {"root": str(REPO.parent / "shared" / "data" / "mnist")}}}
    if args.protocol:
        override["data"]["protocol"] = args.protocol
    if args.protocol == "paper":  # MNIST then validates on all 10,000 official test images
        override["data"]["mnist"]["val_per_class"] = None
    if args.genomes_per_job:
        value = args.genomes_per_job
        override["search"] = {"genomes_per_job": value if value == "auto" else int(value)}
    (workdir / "bench.yaml").write_text(json.dumps(override))
    if not args.no_published_flops:  # as in a clone of the repository
        (workdir / "docs" / "tables").mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / "docs" / "tables" / "flops.tsv.gz", workdir / "docs" / "tables")
    base = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"),
            "--directory", str(workdir), "--cores", str(args.cores), "--quiet", "all",
            "--configfile", str(workdir / "bench.yaml"), *map(str, args.configfile), "--"]

    folder, seen = workdir / "results" / args.dataset, set()
    print(f"machine: {machine()}")
    print(f"dataset {args.dataset}, --cores {args.cores}, results in {workdir}")
    wall, cpu, own = run([*base, f"results/{args.dataset}/summary.json"])
    jobs = report("search", wall, cpu, own, job_cpu(folder, seen))

    summary = json.loads((folder / "summary.json").read_text())
    records = [json.loads(p.read_text()) for p in folder.glob("gen*/records/*.json")]
    trained = sum(r["wall_time_s"]["train"] for r in records)
    print(f"    generations {summary['generations']} ({summary['stop_reason']}), "
          f"genomes {summary['n_evaluations']}, best validation accuracy {summary['best_accuracy']:.4f}")
    print(f"    training seconds (records) {trained:.1f} s; overhead factor, CPU of jobs / "
          f"training {jobs / trained:.2f}, CPU of the command / training {cpu / trained:.2f}")
    if not args.search_only:
        wall, cpu, own = run([*base, f"results/{args.dataset}/report.md"])
        report("final re-training and report", wall, cpu, own, job_cpu(folder, seen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
