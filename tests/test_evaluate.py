"""A genome's record: training plus the FLOPs profiled for its generation."""

import numpy as np
import pytest

from faqnas.data.store import PreparedData
from faqnas.evaluation.evaluate import evaluate_genome
from faqnas.evaluation.profile import profile_genomes
from faqnas.records import genome_entry, read_record, write_json
from faqnas.search.space import Genome, SearchSpace

TRAINING = {"epochs": 2, "lr": 0.01, "batch_size": 16, "backend": "simulator",
            "dtype": "float32", "device": "cpu", "threads": 1}
GENOMES = [Genome(3, "angle", ("RY", "RX", "RZ", "RX"), "CZ", "circular", 2),
           Genome(2, "amplitude", ("RX", "RX", "RX", "RX"), "CNOT", "linear", 1)]


def data():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 90)
    X = (rng.normal(size=(90, 5)) + np.eye(3, 5)[y]).astype(np.float32)
    return PreparedData(
        "toy", X[:60], y[:60], X[60:75], y[60:75], X[75:], y[75:], np.zeros(5), np.ones(5),
        np.arange(60), np.arange(60, 75), np.arange(75, 90), None, ["a", "b", "c"], "held_out",
    )


@pytest.fixture(scope="module")
def profiled():
    return profile_genomes(GENOMES, 5, 3)


def test_profiles_follow_the_genomes(profiled):
    assert [p["phenotype_key"] for p in profiled] == [g.phenotype_key for g in GENOMES]
    for p in profiled:
        f = p["flops"]
        assert f["quantum"] == max(f["total"] - f["classical"], 0) and f["quantum_analytic"] > 0


def test_record_is_valid_and_reproducible(profiled, tmp_path):
    entry = genome_entry(GENOMES[0], "toy", 0, 0)
    record = evaluate_genome(entry, GENOMES[0], data(), TRAINING, 99, profiled[0], "flops_aware")
    write_json(tmp_path / "r.json", record)
    assert read_record(tmp_path / "r.json", SearchSpace()) == record
    again = evaluate_genome(entry, GENOMES[0], data(), TRAINING, 99, profiled[0], "flops_aware")
    assert again["training"] == record["training"]
    assert record["params"] == {"total": 5 * 3 + 3 + 2 * 3 + 3 * 3 + 3, "classical": 30, "quantum": 6}


def test_profile_of_another_genome_is_refused(profiled):
    entry = genome_entry(GENOMES[0], "toy", 0, 0)
    with pytest.raises(ValueError, match="profiled for q2_amplitude"):
        evaluate_genome(entry, GENOMES[0], data(), TRAINING, 99, profiled[1], "flops_aware")
