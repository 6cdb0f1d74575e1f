"""What a search must reproduce exactly: its records, populations, statuses
and Pareto set, without wall times, timestamps and library versions.

``python tests/golden/snapshot.py WORKDIR > tests/golden/tiny_iris.json``
writes the golden copy from a finished tiny search (tests/configs/tiny.yaml);
do that only for a change that is meant to alter results, and say so in the
commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# What legitimately differs between two runs of the same search.
VOLATILE = ("wall_time_s", "timestamps", "versions")


def _stable(value):
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def snapshot(workdir: Path, search: str = "iris") -> dict:
    """The reproducible content of ``results/{search}`` in ``workdir``."""
    folder = Path(workdir) / "results" / search
    names = ["gen*/genomes/*.json", "gen*/records/*.json", "gen*/population.json",
             "gen*/status.json", "pareto.json", "compromise.json"]
    files = sorted(p for name in names for p in folder.glob(name))
    out = {str(p.relative_to(folder)): _stable(json.loads(p.read_text())) for p in files}
    out["pareto.tsv"] = (folder / "pareto.tsv").read_text()
    return out


if __name__ == "__main__":
    json.dump(snapshot(Path(sys.argv[1])), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
