"""Shared fixtures: the repository layout and a way to run the real pipeline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
TINY = REPO / "tests" / "configs" / "tiny.yaml"


def load_config(*overrides: Path) -> dict:
    """The default config with the given override files merged on top, as Snakemake does."""
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    for path in overrides:
        _merge(config, yaml.safe_load(Path(path).read_text()))
    return config


def _merge(base: dict, update: dict) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def snakemake_command(workdir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"),
            "--directory", str(workdir), *args]


def snakemake(workdir: Path, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run the repository's Snakefile in ``workdir`` like a user would."""
    cmd = snakemake_command(workdir, *args)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def run_search(workdir: Path, *extra: str, **kwargs) -> subprocess.CompletedProcess:
    """The tiny search, with the README's command plus the test config."""
    return snakemake(workdir, "--cores", "2", "--configfile", str(TINY), *extra, **kwargs)


def synthetic_table(space, seeds) -> pd.DataFrame:
    """A tabular benchmark of plausible rows for every phenotype and seed: its
    columns (genes, seed, accuracies on 30-sample splits, params), values at
    random, the validation accuracies drawn before the test ones."""
    rows = []
    for seed in seeds:
        rng, test_rng = np.random.default_rng(seed), np.random.default_rng([seed, 1])
        for genome in space.phenotypes():
            rows.append({"phenotype_key": genome.phenotype_key, **genome.to_genes(),
                         "seed": seed, "val_accuracy": rng.integers(10, 31) / 30,
                         "params": 4 * genome.n_qubits + genome.n_qubits * genome.n_layers + 9})
        for row in rows[-space.n_phenotypes():]:
            row["test_accuracy"] = test_rng.integers(10, 31) / 30
    return pd.DataFrame(rows)


# What legitimately differs between two runs of the same search.
VOLATILE = ("wall_time_s", "timestamps", "versions")


def stable_records(workdir: Path) -> dict:
    """Every genome record of the tiny search, without times and versions."""
    out = {}
    for path in sorted((workdir / "results" / "iris").glob("gen*/records/*.json")):
        record = json.loads(path.read_text())
        out[str(path.relative_to(workdir))] = {k: v for k, v in record.items() if k not in VOLATILE}
    return out


@pytest.fixture(scope="session")
def finished(tmp_path_factory) -> Path:
    """A working directory holding one finished tiny search (shared, read-only)."""
    workdir = tmp_path_factory.mktemp("search")
    run_search(workdir)
    return workdir
