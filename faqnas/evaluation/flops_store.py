"""The FLOPs store: F_Q profiled once per circuit, shared by every dataset,
search, study and tabular benchmark of a working directory.

F_Q is the profiler's count for the HQNN minus that for its classical layers,
so it depends on the circuit only: the classical part, ``4·d·n + 6·n·C``
(`classical_flops`), is all that the dataset's width d and class count C
change (tests/test_flops_store.py checks both on a sample of circuits). A
circuit is therefore profiled on PennyLane once per pair of torch and
PennyLane versions (the profiler's counts follow their implementations), and
a record's FLOPs are rebuilt from the stored F_Q for any dataset
(`record_flops`).

Layout: one JSON file per circuit,
``results/flops/torch-{torch}_pennylane-{pennylane}/{phenotype_key}.json``,
holding `StoreEntry`. One file per circuit rather than one table per version
pair because jobs that run at once (the ``profile`` jobs of every dataset and
search, the ``flops_part`` jobs) add circuits to the store side by side: each
writes only its own files, atomically (temporary file, then rename), so two
jobs that profile the same circuit at once both leave a whole file with the
same content, and no lock or read-modify-write of a shared file is needed.

Reading (`read_entries`, `record_flops`) imports neither PennyLane nor torch:
the versions come from package metadata. Only `profile_entry` and
`fill_store` profile, and they import PennyLane when there is something to
profile.
"""

from __future__ import annotations

import os
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Iterable, Mapping, Sequence, TypedDict

from faqnas.records import RecordError, read_json, write_json
from faqnas.search.space import Genome

# Relative to the working directory, like every results path of the workflow.
STORE = Path("results") / "flops"
# The width and class count circuits are profiled with when no dataset asks
# for them (`fill_store` from the flops_table target): Iris's. Any would do,
# F_Q does not depend on them.
REFERENCE_SHAPE = (4, 3)


class StoreEntry(TypedDict):
    phenotype_key: str
    quantum: int  # F_Q, profiler FLOPs of one sample's forward + backward
    quantum_analytic: int  # faqnas.evaluation.flops.analytic_quantum_flops
    quantum_params: int  # the circuit's trainable angles
    profile_s: float  # seconds the profile took
    # {"n_features", "n_classes"} of that profile, or {"table": path} for an
    # entry taken from a published FLOPs table
    profiled_with: dict
    versions: dict  # {"torch", "pennylane"}


def installed_versions() -> dict[str, str]:
    """The torch and PennyLane versions installed, from package metadata
    (importing either costs seconds)."""
    return {"torch": version("torch"), "pennylane": version("pennylane")}


def version_folder(store: str | os.PathLike, versions: Mapping[str, str]) -> Path:
    """The store's folder for one pair of torch and PennyLane versions."""
    return Path(store) / f"torch-{versions['torch']}_pennylane-{versions['pennylane']}"


def classical_flops(n_features: int, n_qubits: int, n_classes: int) -> int:
    """Profiler FLOPs of the classical layers of one sample's forward + backward.

    The classical baseline Linear(d -> n) -> Linear(n -> C): each Linear costs
    2·in·out forward and 2·in·out for its weight gradient; the input gradient
    of the first layer is not needed, that of the second costs 2·n·C. So
    4·d·n + 6·n·C; `profile_entry` checks it against the profiler every time
    it profiles.
    """
    return 4 * n_features * n_qubits + 6 * n_qubits * n_classes


def record_flops(entry: Mapping, n_qubits: int, n_features: int, n_classes: int) -> dict[str, int]:
    """A record's ``flops`` for a dataset of ``n_features`` and ``n_classes``.

    Args:
        entry: the circuit's `StoreEntry`.
        n_qubits: the circuit's qubits (the classical layers' inner width).
        n_features, n_classes: the dataset's.

    Returns:
        ``{"total", "classical", "quantum", "quantum_analytic"}``, in the
        order the records have always held them.
    """
    classical = classical_flops(n_features, n_qubits, n_classes)
    return {
        "total": classical + entry["quantum"],
        "classical": classical,
        "quantum": entry["quantum"],
        "quantum_analytic": entry["quantum_analytic"],
    }


def read_entries(
    store: str | os.PathLike, keys: Iterable[str], versions: Mapping[str, str] | None = None
) -> dict[str, StoreEntry]:
    """The stored entries of those ``keys`` that the store has.

    Args:
        store: the store's root (`STORE`).
        keys: phenotype keys.
        versions: torch and PennyLane versions; the installed ones if None.

    Returns:
        Phenotype key -> entry; keys without an entry are left out.

    Raises:
        RecordError: an entry is not valid JSON or belongs to another circuit
            or other versions.
    """
    versions = dict(versions or installed_versions())
    folder = version_folder(store, versions)
    out = {}
    for key in dict.fromkeys(keys):
        path = folder / f"{key}.json"
        if not path.exists():
            continue
        entry = read_json(path)
        if entry.get("phenotype_key") != key or entry.get("versions") != versions:
            raise RecordError(f"{path}: holds {entry.get('phenotype_key')} profiled "
                              f"with {entry.get('versions')}, not {key} with {versions}")
        out[key] = entry
    return out


def write_entry(store: str | os.PathLike, entry: StoreEntry) -> Path:
    """Add ``entry`` to the store, atomically (see the module's docstring).

    Returns:
        The entry's file.
    """
    path = version_folder(store, entry["versions"]) / f"{entry['phenotype_key']}.json"
    write_json(path, entry)
    return path


def profile_entry(
    genome: Genome, n_features: int, n_classes: int, versions: Mapping[str, str]
) -> StoreEntry:
    """Profile ``genome`` on PennyLane into a store entry.

    Args:
        genome: the circuit.
        n_features, n_classes: the shape it is profiled in; F_Q does not depend on it.
        versions: the installed torch and PennyLane versions (`installed_versions`).

    Raises:
        ValueError: the profiler's classical count is not `classical_flops`
            (another torch counts otherwise: the store would then give other
            totals than a profile).
    """
    # Here, not at the top: reading the store must not import torch.
    from faqnas.evaluation.circuits import weight_shapes
    from faqnas.evaluation.flops import analytic_quantum_flops, profile_flops

    start = time.perf_counter()
    flops = profile_flops(genome, n_features, n_classes)
    seconds = time.perf_counter() - start
    expected = classical_flops(n_features, genome.n_qubits, n_classes)
    if flops["classical"] != expected or flops["total"] != flops["classical"] + flops["quantum"]:
        raise ValueError(
            f"{genome.phenotype_key}: profiler gives {flops} for d={n_features}, C={n_classes}; "
            f"the store assumes classical = 4·d·n + 6·n·C = {expected} and total = classical + F_Q"
        )
    rows, cols = weight_shapes(genome)["weights"]
    return {
        "phenotype_key": genome.phenotype_key,
        "quantum": int(flops["quantum"]),
        "quantum_analytic": analytic_quantum_flops(genome),
        "quantum_params": rows * cols,
        "profile_s": seconds,
        "profiled_with": {"n_features": n_features, "n_classes": n_classes},
        "versions": dict(versions),
    }


def fill_store(
    store: str | os.PathLike | None,
    genomes: Sequence[Genome],
    n_features: int = REFERENCE_SHAPE[0],
    n_classes: int = REFERENCE_SHAPE[1],
    published: Mapping[str, StoreEntry] | None = None,
) -> tuple[dict[str, StoreEntry], dict[str, float]]:
    """Profile the circuits of ``genomes`` that the store lacks and add them.

    PennyLane is imported only if a circuit is missing.

    Args:
        store: the store's root; None profiles every circuit and stores nothing.
        genomes: the circuits wanted (repeats are profiled once).
        n_features, n_classes: the shape missing circuits are profiled in.
        published: entries known without profiling, made with the installed
            versions (`faqnas.evaluation.flops_table.published_entries`);
            those the store lacks are added to it instead of profiled.

    Returns:
        The entry of every circuit of ``genomes`` (phenotype key -> entry),
        and the seconds each circuit profiled now took (phenotype key ->
        seconds; circuits found in the store are not in it).
    """
    versions = installed_versions()
    keys = (g.phenotype_key for g in genomes)
    entries = read_entries(store, keys, versions) if store is not None else {}
    found = len(entries)
    for key, entry in (published or {}).items():
        if key not in entries:
            entries[key] = entry
            if store is not None:
                write_entry(store, entry)
    missing = {g.phenotype_key: g for g in genomes if g.phenotype_key not in entries}
    if missing:
        # Up front, so that no circuit's seconds include the import.
        import pennylane  # noqa: F401
    seconds = {}
    for key, genome in missing.items():
        entries[key] = profile_entry(genome, n_features, n_classes, versions)
        seconds[key] = entries[key]["profile_s"]
        if store is not None:
            write_entry(store, entries[key])
    if store is not None:
        print(f"FLOPs store {version_folder(store, versions)}: {found} circuit(s) found, "
              f"{len(entries) - found - len(missing)} taken from the published table, "
              f"{len(missing)} profiled", file=sys.stderr)
    return entries, seconds
