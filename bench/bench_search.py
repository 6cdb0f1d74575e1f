"""End-to-end wall time of a whole search, job start-up included.

Runs the real pipeline (`snakemake --cores N <dataset's report>`) in a fresh
working directory and prints wall time, generations, evaluations and the
mean per-genome job time from Snakemake's own benchmark files.

    python bench/bench_search.py iris                      # paper protocol, 2 cores
    python bench/bench_search.py digits --cores 2
    python bench/bench_search.py mnist --configfile my.yaml
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_training_step import machine

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--configfile", nargs="*", default=[], help="overrides on top of config/config.yaml")
    parser.add_argument("--workdir", type=Path, help="keep the run here (default: a temporary folder)")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix=f"faqnas-bench-{args.dataset}-"))
    workdir.mkdir(parents=True, exist_ok=True)
    # The default MNIST root is relative to the repository, not to workdir.
    override = workdir / "bench.yaml"
    override.write_text(json.dumps({"datasets": [args.dataset],
                                    "data": {"mnist": {"root": str(REPO.parent / "shared" / "data" / "mnist")}}}))
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"),
           "--directory", str(workdir), "--cores", str(args.cores), "--quiet", "all",
           "--configfile", str(override), *map(str, args.configfile),
           "--", f"results/{args.dataset}/report.md"]
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    wall = time.perf_counter() - start

    folder = workdir / "results" / args.dataset
    summary = json.loads((folder / "summary.json").read_text())
    job_s = [float(next(csv.DictReader(p.open(), delimiter="\t"))["s"])
             for p in folder.glob("benchmarks/gen*/evaluate_*.tsv")]
    print(f"machine: {machine()}")
    print(f"dataset {args.dataset}, --cores {args.cores}, results in {workdir}")
    print(f"wall time (whole command)      {wall:8.1f} s")
    print(f"generations                    {summary['generations']:8d}   ({summary['stop_reason']})")
    print(f"genomes evaluated              {summary['n_evaluations']:8d}")
    print(f"per-genome job, mean / max     {sum(job_s) / len(job_s):8.1f} / {max(job_s):.1f} s")
    print(f"best validation accuracy       {summary['best_accuracy']:8.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
