"""Rule ``live_table``: a dataset's live searches (one per objective and
seed of the ``study`` config) as one table of evaluations, published beside
the tabular benchmarks.

For a dataset without a table (MNIST: a table would train 8,640 circuits on
60,000 images per seed), the comparison of FLOPs-aware and FLOPs-agnostic
search rests on searches the pipeline really ran. Publishing their
evaluations (``docs/tables/live/{dataset}.tsv.gz``, in the columns of
`faqnas.study.anytime.EVALUATION_COLUMNS`) lets `snakemake study`
regenerate the page from committed files, without training. A live search
stops by the paper's rule; a budget it did not reach is left out of its
tests (`faqnas.study.anytime.measures_at`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

import pandas as pd

from faqnas.records import write_json
from faqnas.study.anytime import EVALUATION_COLUMNS
from faqnas.tables.table import checkout_commit, data_shape


def live_table(
    search_tables: Sequence[str],
    data_description: str,
    out: str,
    description_out: str,
    *,
    dataset: str,
    runs: Sequence[dict],
    checkout: str | Path,
) -> None:
    """Join a dataset's live searches into one published table of evaluations.

    Args:
        search_tables: each search's ``evaluations.tsv``, in the order of ``runs``.
        data_description: the dataset's ``data.json``.
        out: ``docs/tables/live/{dataset}.tsv.gz``.
        description_out: ``docs/tables/live/{dataset}.json``: the searches,
            the data's shape and split, and the commit.
        dataset: the dataset's name.
        runs: each search's ``{"objectives", "seed"}``.
        checkout: a folder of the git checkout (for the commit).

    Raises:
        ValueError: the tables and runs differ in number, or there are none.
    """
    if len(search_tables) != len(runs) or not runs:
        raise ValueError(f"{len(search_tables)} evaluation tables for {len(runs)} searches")
    parts = []
    for run, path in zip(runs, search_tables):
        rows = pd.read_csv(path, sep="\t")
        parts.append(rows.assign(variant=run["objectives"], seed=run["seed"],
                                 table_seed=run["seed"], position=range(len(rows))))
    joined = pd.concat(parts, ignore_index=True)[EVALUATION_COLUMNS]
    joined.to_csv(out, sep="\t", index=False, compression={"method": "gzip", "mtime": 0})
    write_json(description_out, {
        "dataset": dataset,
        "searches": list(runs),
        "seeds": list(dict.fromkeys(run["seed"] for run in runs)),
        "evaluations": len(joined),
        **data_shape(data_description),
        "commit": checkout_commit(checkout),
    })
    print(f"{dataset}: {len(runs)} live searches, {len(joined)} evaluations", file=sys.stderr)
