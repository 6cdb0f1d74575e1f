"""Rule ``table``: a dataset's table from its parts, published compressed
with a description of how it was made."""

from __future__ import annotations

import platform
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Sequence

import pandas as pd

from faqnas import __version__
from faqnas.records import read_json, write_json
from faqnas.search.space import SearchSpace


def checkout_commit(checkout: str | Path) -> str:
    """The commit a git checkout is at (12 digits), or a note that it is none."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, cwd=checkout
    ).stdout.strip()
    return commit or "unknown (not a git checkout)"


def data_shape(data_description: str) -> dict:
    """What a published table says of its data, from the dataset's ``data.json``.

    Returns:
        ``n_features`` and ``n_classes`` (the classical FLOPs of a row,
        4·d·n + 6·n·C, need them) and ``split``: the split's sizes,
        protocol and hash.
    """
    shape = read_json(data_description)
    return {
        "n_features": shape["n_features"],
        "n_classes": shape["n_classes"],
        "split": {k: v for k, v in shape.items()
                  if k in ("n_train", "n_val", "n_test", "protocol", "sha256")},
    }


def table(
    part_paths: Sequence[str],
    data_description: str,
    out: str,
    description_out: str,
    *,
    dataset: str,
    seeds: Sequence[int],
    space: dict,
    training: dict,
    data_options: dict,
    checkout: str | Path,
) -> None:
    """Join the parts of every seed into one table, checked complete.

    Args:
        part_paths: every part of every seed.
        data_description: the dataset's ``data.json`` (split sizes, hash).
        out: ``docs/tables/{dataset}.tsv.gz``.
        description_out: ``docs/tables/{dataset}.json``: seeds, training and
            data options, split sizes and hash, the number of features and
            classes, versions and commit.
        dataset: the dataset's name.
        seeds: the run seeds the table holds.
        space: the ``search_space`` config the rows cover.
        training: the ``training`` config the rows were trained with.
        data_options: the dataset's split options.
        checkout: a folder of the git checkout (for the commit).

    Raises:
        ValueError: a (phenotype, seed) is missing or repeated.
    """
    rows = pd.concat([pd.read_csv(path, sep="\t") for path in part_paths], ignore_index=True)
    expected = {g.phenotype_key for g in SearchSpace(space).phenotypes()}
    for seed in seeds:
        keys = rows.loc[rows["seed"] == seed, "phenotype_key"]
        missing, repeated = expected - set(keys), keys[keys.duplicated()].tolist()
        if missing or repeated or set(keys) - expected:
            raise ValueError(
                f"{dataset} seed {seed}: {len(missing)} phenotypes missing, "
                f"{len(repeated)} repeated, of {len(expected)}"
            )
    rows = rows.sort_values(["phenotype_key", "seed"], kind="stable").reset_index(drop=True)
    rows.to_csv(out, sep="\t", index=False, compression={"method": "gzip", "mtime": 0})
    write_json(description_out, {
        "dataset": dataset,
        "phenotypes": len(expected),
        "seeds": list(seeds),
        "search_space": space,
        "rows": len(rows),
        "training": training,
        "data": data_options,
        **data_shape(data_description),
        "versions": {"faqnas": __version__, "torch": version("torch"),
                     "python": platform.python_version()},
        "commit": checkout_commit(checkout),
    })
    print(f"{dataset}: {len(rows)} rows, seeds {list(seeds)}", file=sys.stderr)
