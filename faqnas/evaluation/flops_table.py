"""Rules ``flops_part`` and ``flops_table``: the FLOPs store filled for every
phenotype of the search space, in parts a cluster runs side by side, and
published as docs/tables/flops.tsv.gz.

The table is the FLOPs side of the tabular benchmarks (docs/tables): F_Q
depends on the circuit only, so one table serves every dataset.
"""

from __future__ import annotations

import os
import sys
from typing import Iterable, Sequence

import pandas as pd

from faqnas.evaluation.flops_store import StoreEntry, fill_store, installed_versions
from faqnas.search.space import SearchSpace

COLUMNS = ["phenotype_key", "F_Q", "F_Q_analytic", "quantum_params", "torch", "pennylane"]


def table_row(entry: StoreEntry) -> dict:
    """A circuit's row of the FLOPs table (`COLUMNS`)."""
    return {
        "phenotype_key": entry["phenotype_key"],
        "F_Q": entry["quantum"],
        "F_Q_analytic": entry["quantum_analytic"],
        "quantum_params": entry["quantum_params"],
        "torch": entry["versions"]["torch"],
        "pennylane": entry["versions"]["pennylane"],
    }


def published_entries(table: str | os.PathLike, keys: Iterable[str]) -> dict[str, StoreEntry]:
    """Store entries from a published FLOPs table (`flops_table`), so that a
    search on a fresh clone profiles no circuit the table holds.

    Args:
        table: ``docs/tables/flops.tsv.gz``.
        keys: the phenotype keys wanted.

    Returns:
        Phenotype key -> entry for those of ``keys`` the table holds, if it
        was profiled with the installed torch and PennyLane versions; none
        otherwise (the profiler's counts follow the versions). ``profile_s``
        is 0 and ``profiled_with`` names the table.
    """
    versions = installed_versions()
    rows = pd.read_csv(table, sep="\t", dtype={"torch": str, "pennylane": str})
    rows = rows[(rows["torch"] == versions["torch"]) & (rows["pennylane"] == versions["pennylane"])
                & rows["phenotype_key"].isin(set(keys))]
    return {
        row.phenotype_key: {
            "phenotype_key": row.phenotype_key,
            "quantum": int(row.F_Q),
            "quantum_analytic": int(row.F_Q_analytic),
            "quantum_params": int(row.quantum_params),
            "profile_s": 0.0,
            "profiled_with": {"table": str(table)},
            "versions": versions,
        }
        for row in rows.itertuples()
    }


def flops_part(out: str, *, part: int, parts: int, space: dict, store: str) -> None:
    """Fill the store for share ``part`` of ``parts`` of the space's phenotypes.

    Circuits already in the store (from any search, study or earlier part)
    are not profiled again.

    Args:
        out: the part's TSV, one row per phenotype of the share (`COLUMNS`).
        part, parts: which share, of how many (every parts-th phenotype, as
            `faqnas.search.space.SearchSpace.phenotype_share`).
        space: the ``search_space`` config.
        store: the FLOPs store's root.

    Raises:
        ValueError: ``part`` is not in 0..parts-1.
    """
    genomes = SearchSpace(space).phenotype_share(part, parts)
    entries, seconds = fill_store(store, genomes)
    rows = [table_row(entries[g.phenotype_key]) for g in genomes]
    pd.DataFrame(rows, columns=COLUMNS).to_csv(out, sep="\t", index=False)
    print(f"part {part} of {parts}: {len(rows)} circuits, {len(seconds)} profiled "
          f"in {sum(seconds.values()):.1f} s", file=sys.stderr)


def flops_table(part_paths: Sequence[str], out: str, *, space: dict) -> None:
    """Join the parts into ``docs/tables/flops.tsv.gz``, checked complete.

    Args:
        part_paths: every part's TSV.
        out: the table (gzip with a fixed timestamp, so equal tables are
            equal files).
        space: the ``search_space`` config.

    Raises:
        ValueError: a phenotype is missing or repeated, or the parts were
            profiled with different torch or PennyLane versions (delete
            ``results/tables/flops`` to make them again with one).
    """
    versions_as_text = {"torch": str, "pennylane": str}  # "0.50" must not become 0.5
    rows = pd.concat(
        [pd.read_csv(path, sep="\t", dtype=versions_as_text) for path in part_paths],
        ignore_index=True,
    )
    expected = {g.phenotype_key for g in SearchSpace(space).phenotypes()}
    keys = rows["phenotype_key"]
    missing, repeated = expected - set(keys), sorted(set(keys[keys.duplicated()]))
    if missing or repeated or set(keys) - expected:
        raise ValueError(f"FLOPs table: {len(missing)} phenotypes missing {sorted(missing)[:3]}, "
                         f"{len(repeated)} repeated {repeated[:3]}, of {len(expected)}")
    versions = rows[["torch", "pennylane"]].drop_duplicates()
    if len(versions) > 1:
        raise ValueError(
            f"FLOPs table: parts profiled with several versions {versions.to_dict('records')}"
        )
    rows = rows.sort_values("phenotype_key", kind="stable").reset_index(drop=True)
    rows.to_csv(out, sep="\t", index=False, compression={"method": "gzip", "mtime": 0})
    print(f"FLOPs table: {len(rows)} circuits, {versions.to_dict('records')[0]}", file=sys.stderr)
