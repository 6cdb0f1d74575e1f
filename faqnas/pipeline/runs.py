"""Where each search of a dataset lives.

The configured search (``search.objectives`` and ``seed``) writes to
``results/{dataset}``, as a plain run always has. A study repeats it with the
other objectives and with more seeds, everything else equal; each of those
searches writes to ``results/{dataset}/runs/{objectives}-seed{seed}``. A
study search that coincides with the configured one is that folder, not a
copy of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from faqnas.search.objectives import OBJECTIVE_MODES

_OBJECTIVES = "|".join(OBJECTIVE_MODES)
# Snakemake wildcard constraint of a search folder below results/, and the
# same with named groups for parsing one.
SEARCH_PATTERN = rf"[A-Za-z0-9_]+(/runs/({_OBJECTIVES})-seed\d+)?"


def searches_of(datasets) -> str:
    """Wildcard constraint of the search folders of ``datasets`` only."""
    names = "|".join(re.escape(ds) for ds in datasets)
    return rf"({names})(/runs/({_OBJECTIVES})-seed\d+)?"
_SEARCH = re.compile(
    rf"(?P<dataset>[A-Za-z0-9_]+)(/runs/(?P<objectives>{_OBJECTIVES})-seed(?P<seed>\d+))?"
)


@dataclass(frozen=True)
class Run:
    dataset: str
    objectives: str
    seed: int


@dataclass(frozen=True)
class Primary:
    """The configured search: what results/{dataset} holds."""

    objectives: str
    seed: int

    @classmethod
    def of(cls, config: dict) -> "Primary":
        return cls(config["search"]["objectives"], config["seed"])


def search_folder(run: Run, primary: Primary) -> str:
    """The folder of ``run`` below results/."""
    if (run.objectives, run.seed) == (primary.objectives, primary.seed):
        return run.dataset
    return f"{run.dataset}/runs/{run.objectives}-seed{run.seed}"


def parse_search_folder(folder: str, primary: Primary) -> Run:
    """Inverse of ``search_folder``."""
    match = _SEARCH.fullmatch(folder)
    if not match:
        raise ValueError(
            f"{folder!r} is not a search folder: a dataset, or "
            "{dataset}/runs/{" + _OBJECTIVES + "}-seed{seed}"
        )
    if match["objectives"] is None:
        return Run(folder, primary.objectives, primary.seed)
    return Run(match["dataset"], match["objectives"], int(match["seed"]))


def study_runs(config: dict, dataset: str) -> list[Run]:
    """The searches a study makes of ``dataset``: each objective of
    ``study.objectives`` with the run seed and the dataset's extra seeds."""
    study = config["study"]
    seeds = [config["seed"], *(s for s in study["seeds"].get(dataset, []) if s != config["seed"])]
    return [Run(dataset, objectives, seed) for objectives in study["objectives"] for seed in seeds]
