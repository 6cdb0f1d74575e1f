"""What a search must reproduce exactly: its records, populations, statuses
and Pareto set, without wall times, timestamps and library versions.

``python tests/golden/snapshot.py WORKDIR > tests/golden/tiny_iris.json``
writes the golden copy from a finished tiny search (tests/configs/tiny.yaml);
do that only for a change that is meant to alter results, and say so in the
commit.
"""

from __future__ import annotations

import json
import math
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


def differences(current, golden, rel: float = 1e-12, path: str = "") -> list[str]:
    """Where ``current`` differs from ``golden``: every key, list item, string
    and integer exactly, floats to ``rel``.

    Float tolerance, because the same training differs in the last bit on
    another processor: BLAS and torch pick vector kernels by CPU (the golden
    copy came from an AMD EPYC, AVX2; an Intel Xeon with AVX-512 gives
    float64 losses 1 ulp apart). Anything discrete that depends on those
    numbers (populations, fronts, the Pareto set) must still match exactly.
    """
    if isinstance(golden, float) and isinstance(current, float):
        close = math.isclose(current, golden, rel_tol=rel, abs_tol=rel)
        return [] if close else [f"{path}: {current!r} != {golden!r}"]
    if type(current) is not type(golden):
        return [f"{path}: {current!r} != {golden!r}"]
    if isinstance(golden, dict):
        if sorted(current) != sorted(golden):
            return [f"{path}: keys {sorted(current)} != {sorted(golden)}"]
        return [d for k in golden for d in differences(current[k], golden[k], rel, f"{path}/{k}")]
    if isinstance(golden, list):
        if len(current) != len(golden):
            return [f"{path}: {len(current)} items != {len(golden)}"]
        pairs = enumerate(zip(current, golden))
        return [d for i, (c, g) in pairs for d in differences(c, g, rel, f"{path}[{i}]")]
    return [] if current == golden else [f"{path}: {current!r} != {golden!r}"]


if __name__ == "__main__":
    json.dump(snapshot(Path(sys.argv[1])), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
