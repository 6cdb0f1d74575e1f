"""Time the start-up consistency check on a results tree the size of the default run.

    python bench/bench_consistency.py [N_RUNS]

Builds, in a temporary folder, the files of the default config's five
searches (population 20, generations 0..8: 900 records, with their genomes,
FLOPs, populations, statuses, stored evaluations and Pareto sets) from
made-up training results, then times ``faqnas.consistency.check_tree`` on it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from faqnas.pipeline.config import EXTENDABLE  # noqa: E402
from faqnas.pipeline.consistency import check_tree  # noqa: E402
from synthetic import build_tree  # noqa: E402


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    config["search"]["patience"] = 100  # every search runs to generation 8
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / "results"
        n = build_tree(results, config)
        search = {k: v for k, v in config["search"].items() if k not in EXTENDABLE["search"]}
        for _ in range(runs):
            start = time.perf_counter()
            plan = check_tree(config, results, Path(tmp) / ".snakemake", search)
            took = time.perf_counter() - start
            print(f"{n} records, {len(config['datasets'])} searches: check {took:.2f} s, "
                  f"{plan.repairs} repairs, {len(plan.store)} evaluations to store")  # fmt: skip


if __name__ == "__main__":
    main()
