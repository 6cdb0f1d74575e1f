"""One line on the console per finished generation of a search.

Snakemake's "x of y steps" grows with every generation, so it says little
about how far a search is. The workflow calls `announce` each time it reads
a generation's status while building the DAG; a generation is announced once
per run, and only if it finished during this run.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from faqnas.records import Status
from faqnas.search.objectives import FLOPS_AWARE
from faqnas.search.stopping import StoppingRule

_announced: set[tuple[str, int]] = set()


def generation_line(search: str, status: Status, rule: StoppingRule, elapsed_s: float) -> str:
    """The progress line of a finished generation.

    Args:
        search: the search folder below results/.
        status: the generation's status.
        rule: the stopping rule (for "of at most G" and the patience).
        elapsed_s: seconds since the run started.
    """
    accuracy_column = 1 if status["objectives"] == FLOPS_AWARE else 0
    best = max((1.0 - point[accuracy_column] for point in status["rank0_front"]), default=0.0)
    stop, reason = rule.decide(status["generation"], status["stagnation"])
    front = (
        "front changed" if status["stagnation"] == 0
        else f"front unchanged for {status['stagnation']} of {rule.patience}"
    )
    return (
        f"faqnas: {search}: generation {status['generation']} of at most "
        f"{rule.max_generations}: {status['n_evaluated']} genomes evaluated, {front}, "
        f"{len(status['rank0_front'])} on the rank-0 front, best accuracy {best:.3f}, "
        f"{elapsed_s:.0f} s" + (f"; stops: {reason}" if stop else "")
    )


def announce(search: str, status_path: str | Path, status: Status, rule: StoppingRule,
             run_started: float) -> None:
    """Print the generation's line once, if its status was written during this run."""
    key = (search, status["generation"])
    if key in _announced or Path(status_path).stat().st_mtime < run_started:
        return
    _announced.add(key)
    print(generation_line(search, status, rule, time.time() - run_started), file=sys.stderr)
