"""How a generation's genomes are split into evaluate jobs (`search.genomes_per_job`)."""

from __future__ import annotations

import pytest

from faqnas.pipeline.batches import (
    STARTUP_SECONDS,
    TRAINING_PER_STARTUP,
    EvaluateJob,
    batches,
    dataset_job_sizes,
    evaluate_jobs,
    genome_seconds,
    genomes_per_job,
)

from faqnas.data.registry import dataset_options
from faqnas.data.sources import training_size

from conftest import load_config
from test_data import REAL_MNIST


def test_auto_shares_a_job_until_training_is_some_times_the_start_up():
    budget = TRAINING_PER_STARTUP * STARTUP_SECONDS
    assert genomes_per_job("auto", 20, budget / 4) == 4
    assert genomes_per_job("auto", 20, budget / 4.5) == 5
    assert genomes_per_job("auto", 20, budget) == 1
    assert genomes_per_job("auto", 20, 10 * budget) == 1
    assert genomes_per_job("auto", 20, budget / 1000) == 20  # never past the population


def test_a_number_is_taken_as_given_up_to_the_population():
    assert genomes_per_job(1, 20) == 1
    assert genomes_per_job(7, 20) == 7
    assert genomes_per_job(50, 20) == 20
    for bad in (0, -1, 2.5, "all", True):
        with pytest.raises(ValueError, match="genomes_per_job"):
            genomes_per_job(bad, 20)


def test_batches_cover_the_generation_once_in_order():
    assert batches(20, 20) == [tuple(range(20))]
    assert batches(20, 13) == [tuple(range(13)), tuple(range(13, 20))]
    assert batches(5, 2) == [(0, 1), (2, 3), (4,)]
    assert [i for batch in batches(21, 4) for i in batch] == list(range(21))


def test_the_default_config_batches_whole_generations_and_full_mnist_in_fives():
    """Measured costs (fused steps): an Iris genome ~0.006 s, a Digits genome
    ~0.05 s, a full-MNIST genome ~2.5 s, against ~2 s of job start-up."""
    config = load_config()
    config["data"]["mnist"]["root"] = str(REAL_MNIST)
    # Read from the files, not the fallback for an unreadable source.
    assert training_size("mnist", dataset_options(config, "mnist")) == 50_000
    sizes = dataset_job_sizes(config, ["iris", "wine", "breast_cancer", "digits", "mnist"])
    assert sizes["mnist"] == 5
    population = config["search"]["population"]
    assert sizes["iris"] == sizes["wine"] == sizes["breast_cancer"] == sizes["digits"] == population
    assert genome_seconds(50_000, 5, 64) > STARTUP_SECONDS / 2 > 10 * genome_seconds(96, 5, 64)


def test_an_explicit_setting_needs_no_data(tmp_path):
    config = load_config()
    config["search"]["genomes_per_job"] = 3
    config["data"]["mnist"]["root"] = str(tmp_path / "nowhere")
    assert dataset_job_sizes(config, ["iris", "mnist"]) == {"iris": 3, "mnist": 3}


def test_datasets_that_split_alike_share_rules_and_every_index_has_one_rule():
    jobs = evaluate_jobs({"iris": 20, "wine": 20, "digits": 13, "mnist": 1, "mine": 1}, 20)
    assert jobs == [
        EvaluateJob(None, ("mine", "mnist")),
        EvaluateJob(tuple(range(13)), ("digits",)),
        EvaluateJob(tuple(range(20)), ("iris", "wine")),
        EvaluateJob(tuple(range(13, 20)), ("digits",)),
    ]
    assert [job.name for job in jobs] == ["evaluate", "evaluate_0_to_12", "evaluate_0_to_19",
                                          "evaluate_13_to_19"]
    for dataset in ("iris", "digits"):
        served = [i for job in jobs if dataset in job.datasets for i in job.indices]
        assert sorted(served) == list(range(20))
