"""Stored evaluations: a rerun job rebuilds its record instead of training again."""

from __future__ import annotations

import json

import pytest

from faqnas.evaluation.evaluate import evaluate_genome
from faqnas.records import RecordError, genome_entry, write_json
from faqnas.evaluation.reuse import (
    EvaluationKey,
    evaluate_or_reuse,
    evaluation_of,
    load_evaluation,
    record_from,
    same_result,
    store_evaluation,
    store_folder,
)
from faqnas.search.space import Genome, SearchSpace

from test_evaluate import data as toy_data

SPACE = SearchSpace()
TRAINING = {"epochs": 2, "lr": 0.01, "batch_size": 16, "backend": "simulator",
            "dtype": "float64", "device": "cpu", "threads": 1}
GENOME = Genome(3, "angle", ("RY", "RX", "RZ", "RX"), "CZ", "circular", 2)
ENTRY = genome_entry(GENOME, "toy", 1, 2)
PROFILED = {"phenotype_key": GENOME.phenotype_key,
            "flops": {"total": 900, "classical": 300, "quantum": 600, "quantum_analytic": 550},
            "profile_s": 0.25}
KEY = EvaluationKey(GENOME.phenotype_key, "ab" * 32, 99, TRAINING)


@pytest.fixture(scope="module")
def fresh():
    """A record as the evaluate job writes it when it trains."""
    return evaluate_genome(ENTRY, GENOME, toy_data(), TRAINING, KEY.seed, PROFILED, "flops_aware")


class Trainer:
    """Stands in for training: counts calls and returns a given record."""

    def __init__(self, record):
        self.record, self.calls = record, 0

    def __call__(self):
        self.calls += 1
        return self.record


def test_record_rebuilt_from_its_evaluation_is_byte_identical(fresh, tmp_path):
    rebuilt = record_from(ENTRY, evaluation_of(fresh, KEY), PROFILED, "flops_aware")
    write_json(tmp_path / "a.json", fresh)
    write_json(tmp_path / "b.json", rebuilt)
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_flops_agnostic_record_from_the_same_evaluation_has_two_objectives(fresh):
    rebuilt = record_from(ENTRY, evaluation_of(fresh, KEY), PROFILED, "flops_agnostic")
    assert rebuilt["objectives"] == fresh["objectives"][1:]


def test_digest_depends_on_data_seed_and_settings_not_on_dict_order():
    reordered = EvaluationKey(KEY.phenotype_key, KEY.data_sha256, KEY.seed, dict(reversed(TRAINING.items())))
    assert reordered.digest == KEY.digest
    others = [EvaluationKey(KEY.phenotype_key, "cd" * 32, KEY.seed, TRAINING),
              EvaluationKey(KEY.phenotype_key, KEY.data_sha256, 100, TRAINING),
              EvaluationKey(KEY.phenotype_key, KEY.data_sha256, KEY.seed, {**TRAINING, "epochs": 3})]
    assert len({k.digest for k in [KEY, *others]}) == 4
    assert KEY.path("store").name == f"{GENOME.phenotype_key}-{KEY.digest}.json"
    assert store_folder("results", "iris").as_posix() == "results/iris/evaluations"


def test_first_call_trains_and_stores_the_second_reuses(fresh, tmp_path):
    trainer = Trainer(fresh)
    first, how = evaluate_or_reuse(ENTRY, KEY, tmp_path, PROFILED, "flops_aware", SPACE, trainer)
    assert trainer.calls == 1 and how.startswith("trained") and first == fresh
    assert KEY.path(tmp_path).exists()
    again, how = evaluate_or_reuse(ENTRY, KEY, tmp_path, PROFILED, "flops_aware", SPACE, trainer)
    assert trainer.calls == 1 and how.startswith("reused")
    assert again == fresh and again["timestamps"] == fresh["timestamps"]
    assert not list(tmp_path.glob(".*.tmp")), "a temporary file was left behind"


def test_another_key_is_not_reused(fresh, tmp_path):
    evaluate_or_reuse(ENTRY, KEY, tmp_path, PROFILED, "flops_aware", SPACE, Trainer(fresh))
    other = EvaluationKey(KEY.phenotype_key, KEY.data_sha256, KEY.seed, {**TRAINING, "lr": 0.02})
    trainer = Trainer({**fresh, "training": {**fresh["training"], "lr": 0.02}})
    _, how = evaluate_or_reuse(ENTRY, other, tmp_path, PROFILED, "flops_aware", SPACE, trainer)
    assert trainer.calls == 1 and how.startswith("trained")


@pytest.mark.parametrize("damage", ["truncated", "accuracy", "other_seed", "missing_key"])
def test_unusable_stored_evaluation_is_retrained_and_replaced(fresh, tmp_path, damage):
    path = KEY.path(tmp_path)
    evaluation = evaluation_of(fresh, KEY)
    if damage == "truncated":
        path.write_text(json.dumps(evaluation)[:100])
    else:
        if damage == "accuracy":
            evaluation["accuracy"] = 2.0
        elif damage == "other_seed":
            evaluation["seed"] += 1
        else:
            del evaluation["params"]
        path.write_text(json.dumps(evaluation))
    with pytest.raises(RecordError, match=str(path)):
        load_evaluation(path, KEY, ENTRY, PROFILED, SPACE)
    trainer = Trainer(fresh)
    record, how = evaluate_or_reuse(ENTRY, KEY, tmp_path, PROFILED, "flops_aware", SPACE, trainer)
    assert trainer.calls == 1 and "stored evaluation unusable" in how and record == fresh
    assert load_evaluation(path, KEY, ENTRY, PROFILED, SPACE) == evaluation_of(fresh, KEY)


def test_first_stored_evaluation_wins(fresh, tmp_path):
    path = KEY.path(tmp_path)
    first = evaluation_of(fresh, KEY)
    later = {**first, "timestamps": {"started": 2e9, "finished": 2e9 + 1}}
    assert store_evaluation(path, first, lambda p: True) == first
    assert store_evaluation(path, later, lambda p: True) == first
    assert store_evaluation(path, later, lambda p: False) == later, "an invalid stored file is replaced"
    assert json.loads(path.read_text()) == later


def test_a_record_made_alongside_another_job_uses_the_stored_evaluation(fresh, tmp_path):
    """Two searches train the same phenotype at once: both records agree with the store."""
    stored = {**evaluation_of(fresh, KEY), "timestamps": {"started": 1.0, "finished": 2.0}}

    def train_while_another_job_stores():
        store_evaluation(KEY.path(tmp_path), stored, lambda p: True)
        return fresh

    record, how = evaluate_or_reuse(ENTRY, KEY, tmp_path, PROFILED, "flops_aware", SPACE, train_while_another_job_stores)
    assert record["timestamps"] == {"started": 1.0, "finished": 2.0}
    assert "another job stored it first" in how


def test_same_result_ignores_times_but_not_accuracy(fresh):
    evaluation = evaluation_of(fresh, KEY)
    assert same_result({**fresh, "timestamps": {"started": 0, "finished": 1}}, evaluation)
    assert not same_result({**fresh, "accuracy": 0.0}, evaluation)


def test_training_that_disagrees_with_the_key_is_a_bug(fresh, tmp_path):
    wrong = {**fresh, "seed": KEY.seed + 1}
    with pytest.raises(RecordError, match="seed"):
        evaluate_or_reuse(ENTRY, KEY, tmp_path, PROFILED, "flops_aware", SPACE, Trainer(wrong))
