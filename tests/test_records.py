"""Genome and record files: corrupt or hand-edited ones are caught with their path."""

import json
import os
import signal
import subprocess
import sys

import pytest

from faqnas.records import (
    RecordError,
    genome_entry,
    read_genome,
    read_record,
    write_json,
)
from faqnas.search.objectives import objectives
from faqnas.search.space import Genome, SearchSpace

SPACE = SearchSpace()
GENOME = Genome(4, "angle", ("RY", "RX", "RZ", "RX"), "CZ", "circular", 2)


def make_record(genome=GENOME, accuracy=0.9) -> dict:
    record = {
        **genome_entry(genome, "iris", 1, 3),
        "seed": 11,
        "training": {
            "backend": "simulator",
            "epochs": 2,
            "lr": 0.003,
            "batch_size": 64,
            "accuracy_per_epoch": [0.5, accuracy],
            "loss_per_epoch": [1.0, 0.7],
            "best_accuracy": accuracy,
            "best_epoch": 2,
            "diverged": False,
        },
        "accuracy": accuracy,
        "flops": {"total": 900, "classical": 100, "quantum": 800, "quantum_analytic": 700},
        "params": {"total": 43, "classical": 35, "quantum": 8},
        "wall_time_s": {"train": 1.0, "profile": 0.1},
        "versions": {},
    }
    record["objectives"] = objectives(record, "flops_aware")
    return record


def test_record_round_trip(tmp_path):
    path = tmp_path / "r.json"
    write_json(path, make_record())
    assert read_record(path, SPACE) == make_record()
    assert make_record()["objectives"] == [800.0, pytest.approx(0.1), 43.0]


def test_flops_agnostic_objectives_drop_quantum_flops():
    assert objectives(make_record(), "flops_agnostic") == [pytest.approx(0.1), 43.0]


def test_accuracy_only_objectives_keep_the_error_alone():
    assert objectives(make_record(), "accuracy_only") == [pytest.approx(0.1)]


@pytest.mark.parametrize("mode", ["flops_agnostic", "accuracy_only"])
def test_a_baseline_record_reads_back(tmp_path, mode):
    record = make_record()
    record["objectives"] = objectives(record, mode)
    write_json(tmp_path / "0.json", record)
    assert read_record(tmp_path / "0.json", SPACE)["objectives"] == record["objectives"]


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda r: r.update(phenotype_key="q4_angle_L1_RY_CZ_circular"), "does not match its genes"),
        (lambda r: r["genes"].update(n_qubits=12), "gene n_qubits = 12 is not in the search space"),
        (lambda r: r.update(accuracy=1.7), "invalid at accuracy"),
        (lambda r: r["flops"].pop("quantum"), "'quantum' is a required property"),
        (lambda r: r.update(objectives=[1.0, 0.0, 43.0]), "objectives [1.0, 0.0, 43.0] disagree"),
        (lambda r: r.update(objectives=[0.5, 43.0]), "objectives [0.5, 43.0] disagree"),
        (lambda r: r.update(objectives=[0.5]), "objectives [0.5] disagree"),
        (lambda r: r.update(objectives=[800.0, 0.1, 43.0, 1.0]), "invalid at objectives"),
        (lambda r: r["genes"].pop("rot_4"), "genes"),
    ],
)
def test_hand_edited_records_are_refused_with_their_path(tmp_path, edit, expected):
    record = make_record()
    edit(record)
    path = tmp_path / "records" / "3.json"
    write_json(path, record)
    with pytest.raises(RecordError) as err:
        read_record(path, SPACE)
    assert str(path) in str(err.value)
    assert expected in str(err.value)


def test_truncated_file_is_reported(tmp_path):
    path = tmp_path / "0.json"
    path.write_text(json.dumps(genome_entry(GENOME, "iris", 0, 0))[:40])
    with pytest.raises(RecordError, match="0.json: not valid JSON"):
        read_genome(path, SPACE)


def test_genome_of_another_space_is_refused(tmp_path):
    path = tmp_path / "0.json"
    write_json(path, genome_entry(GENOME, "iris", 0, 0))
    small = SearchSpace({**SPACE.to_dict(), "n_qubits": [2, 3]})
    with pytest.raises(RecordError, match="n_qubits = 4"):
        read_genome(path, small)


def test_killed_writer_leaves_old_file_or_nothing(tmp_path):
    """SIGKILL in the middle of a write never leaves half a file behind."""
    path = tmp_path / "big.json"
    write_json(path, {"old": True})
    writer = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from faqnas.records import write_json\n"
         "while True: write_json(sys.argv[1], {'x': list(range(200000))})", str(path)],
    )
    try:
        for _ in range(20):
            json.loads(path.read_text())  # every read sees a whole file
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    assert isinstance(json.loads(path.read_text()), dict)
    leftovers = [p for p in os.listdir(tmp_path) if p != "big.json"]
    assert all(p.startswith(".big.json.") and p.endswith(".tmp") for p in leftovers)


def test_written_files_get_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        write_json(tmp_path / "r.json", {"a": 1})
    finally:
        os.umask(umask)
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o644
