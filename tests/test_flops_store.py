"""F_Q depends on the circuit only, so the FLOPs store profiles each circuit once."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pandas as pd
import pytest

from faqnas.evaluation.flops import analytic_quantum_flops, profile_flops
from faqnas.evaluation.flops_store import (
    classical_flops,
    fill_store,
    installed_versions,
    read_entries,
    record_flops,
    version_folder,
    write_entry,
)
from faqnas.evaluation.flops_table import published_entries
from faqnas.evaluation.profile import profile_genomes
from faqnas.records import RecordError, genome_entry, write_json
from faqnas.search.space import Genome

from conftest import REPO

# Both embeddings, both entanglers and topologies, 2 to 6 qubits, 1 to 4 layers.
SAMPLE = [
    Genome(2, "angle", ("RX", "RX", "RX", "RX"), "CNOT", "linear", 1),
    Genome(2, "amplitude", ("RY", "RZ", "RX", "RX"), "CZ", "circular", 2),
    Genome(3, "angle", ("RZ", "RX", "RY", "RX"), "CZ", "circular", 3),
    Genome(3, "amplitude", ("RY", "RY", "RZ", "RX"), "CNOT", "linear", 4),
    Genome(3, "amplitude", ("RX", "RX", "RX", "RX"), "CZ", "linear", 1),
    Genome(4, "angle", ("RY", "RZ", "RX", "RX"), "CNOT", "circular", 2),
    Genome(4, "amplitude", ("RZ", "RX", "RX", "RX"), "CZ", "linear", 1),
    Genome(5, "angle", ("RX", "RY", "RZ", "RY"), "CZ", "linear", 4),
    Genome(5, "amplitude", ("RY", "RX", "RZ", "RX"), "CNOT", "circular", 3),
    Genome(6, "angle", ("RY", "RX", "RX", "RX"), "CNOT", "linear", 1),
    Genome(6, "amplitude", ("RZ", "RY", "RX", "RX"), "CZ", "circular", 2),
    Genome(6, "angle", ("RX", "RZ", "RY", "RX"), "CZ", "circular", 4),
]
# (d, C): Iris-like, Breast-Cancer-like, MNIST-PCA-like.
SHAPES = [(4, 3), (30, 2), (64, 10)]


@pytest.fixture(scope="module")
def profiles() -> dict[tuple, dict]:
    """Fresh profiles of every sampled circuit in every shape."""
    return {(g, d, C): profile_flops(g, d, C) for g in SAMPLE for d, C in SHAPES}


@pytest.fixture(scope="module")
def store(tmp_path_factory, profiles):
    """A store holding the sample, profiled in the reference shape."""
    root = tmp_path_factory.mktemp("store") / "flops"
    fill_store(root, SAMPLE)
    return root


def test_quantum_flops_do_not_depend_on_the_dataset(profiles):
    for genome in SAMPLE:
        quantum = {profiles[genome, d, C]["quantum"] for d, C in SHAPES}
        assert len(quantum) == 1 and quantum.pop() > 0, genome.phenotype_key


def test_classical_flops_are_the_closed_form(profiles):
    for (genome, d, C), flops in profiles.items():
        assert flops["classical"] == 4 * d * genome.n_qubits + 6 * genome.n_qubits * C
        assert flops["classical"] == classical_flops(d, genome.n_qubits, C)
        # No clipping by max(., 0): the total is exactly the sum.
        assert flops["total"] == flops["classical"] + flops["quantum"]


def test_a_stored_circuit_gives_the_flops_of_a_fresh_profile(store, profiles):
    entries = read_entries(store, [g.phenotype_key for g in SAMPLE])
    assert set(entries) == {g.phenotype_key for g in SAMPLE}
    for (genome, d, C), fresh in profiles.items():
        expected = {**fresh, "quantum_analytic": analytic_quantum_flops(genome)}
        assert record_flops(entries[genome.phenotype_key], genome.n_qubits, d, C) == expected
        # The profile rule's list: the same dict, key order included (bytes of the JSON).
        [profiled] = profile_genomes([genome], d, C, store)
        assert json.dumps(profiled["flops"]) == json.dumps(expected)
        assert profiled["profile_s"] == 0.0


def test_an_entry_describes_its_circuit(store):
    genome = SAMPLE[5]
    entry = read_entries(store, [genome.phenotype_key])[genome.phenotype_key]
    assert entry["quantum_params"] == genome.n_qubits * genome.n_layers
    assert entry["versions"] == installed_versions()
    assert (version_folder(store, installed_versions()) / f"{genome.phenotype_key}.json").exists()


def test_missing_circuits_are_profiled_once_and_stored(tmp_path):
    genome, other = SAMPLE[0], SAMPLE[1]
    profiled = profile_genomes([genome, genome, other], 4, 3, tmp_path)
    assert profiled[0]["profile_s"] > 0 and profiled[1]["profile_s"] == 0.0
    assert profiled[0]["flops"] == profiled[1]["flops"]
    assert set(read_entries(tmp_path, [genome.phenotype_key, other.phenotype_key])) == {
        genome.phenotype_key, other.phenotype_key}
    # Without a store nothing is written.
    profile_genomes([SAMPLE[2]], 4, 3, None)
    assert not read_entries(tmp_path, [SAMPLE[2].phenotype_key])


def test_an_entry_of_another_circuit_is_refused(store, tmp_path):
    entry = read_entries(store, [SAMPLE[0].phenotype_key])[SAMPLE[0].phenotype_key]
    folder = version_folder(tmp_path, installed_versions())
    write_json(folder / f"{SAMPLE[1].phenotype_key}.json", entry)
    with pytest.raises(RecordError, match="holds"):
        read_entries(tmp_path, [SAMPLE[1].phenotype_key])


def test_writers_at_once_leave_a_whole_entry(store, tmp_path):
    """Two jobs profiling one circuit at once: every read sees a whole file."""
    key = SAMPLE[3].phenotype_key
    entry = read_entries(store, [key])[key]
    seen, errors = [], []

    def write():
        for _ in range(40):
            write_entry(tmp_path, entry)

    def read():
        for _ in range(80):
            try:
                seen.extend(read_entries(tmp_path, [key]).values())
            except RecordError as err:
                errors.append(err)

    threads = [threading.Thread(target=f) for f in (write, write, read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and all(e == entry for e in seen)
    assert not list(version_folder(tmp_path, installed_versions()).glob(".*.tmp"))


PUBLISHED = REPO / "docs" / "tables" / "flops.tsv.gz"


def published_versions() -> dict:
    return pd.read_csv(PUBLISHED, sep="\t", dtype=str, nrows=1)[["torch", "pennylane"]].iloc[0].to_dict()


def test_the_published_table_gives_the_flops_of_a_fresh_profile(profiles):
    entries = published_entries(PUBLISHED, [g.phenotype_key for g in SAMPLE])
    if published_versions() != installed_versions():
        assert entries == {}, "counts of other torch or PennyLane versions must not be used"
        return
    assert set(entries) == {g.phenotype_key for g in SAMPLE}
    for (genome, d, C), fresh in profiles.items():
        expected = {**fresh, "quantum_analytic": analytic_quantum_flops(genome)}
        assert record_flops(entries[genome.phenotype_key], genome.n_qubits, d, C) == expected


@pytest.mark.parametrize("source", ["store", "published table"])
def test_a_generation_profiled_before_imports_neither_pennylane_nor_torch(store, tmp_path, source):
    """The profile rule with every circuit in the store, or in the published
    FLOPs table of the installed versions: no PennyLane, no torch."""
    if source == "published table":
        if published_versions() != installed_versions():
            pytest.fail(f"{PUBLISHED} was profiled with {published_versions()}, not the "
                        f"installed {installed_versions()}: remake it (`snakemake flops_table`)")
        store, published = tmp_path / "empty_store", [str(PUBLISHED)]
    else:
        published = []
    genome_paths = []
    for i, genome in enumerate(SAMPLE[:3]):
        path = tmp_path / "genomes" / f"{i}.json"
        write_json(path, genome_entry(genome, "iris", 0, i))
        genome_paths.append(str(path))
    write_json(tmp_path / "data.json", {"n_features": 30, "n_classes": 2})
    code = (
        "import json, sys\n"
        "from faqnas.evaluation.profile import profile\n"
        "from faqnas.search.space import TABLE_I\n"
        f"profile({genome_paths!r}, {str(tmp_path / 'data.json')!r}, {published!r},\n"
        f"        {str(tmp_path / 'flops.json')!r},\n"
        "        space=TABLE_I, store=" + repr(str(store)) + ")\n"
        "loaded = [m for m in ('pennylane', 'torch') if m in sys.modules]\n"
        "assert not loaded, f'{loaded} imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    written = json.loads((tmp_path / "flops.json").read_text())
    fresh = [{**profile_flops(g, 30, 2), "quantum_analytic": analytic_quantum_flops(g)}
             for g in SAMPLE[:3]]
    assert [e["flops"] for e in written] == fresh
