"""A config is refused at start-up with every problem named: key, value, what is allowed."""

import json

import pytest

from faqnas.pipeline.config import (
    ConfigError,
    check_config,
    check_results_match,
    load_schema,
    manifest,
)

from conftest import REPO, load_config

SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")


def refused(config) -> str:
    with pytest.raises(ConfigError) as err:
        check_config(config, SCHEMA)
    return str(err.value)


def test_default_config_is_valid():
    check_config(load_config(), SCHEMA)


def test_the_schema_allows_exactly_the_objective_modes():
    """faqnas.search.objectives.OBJECTIVE_MODES is the one list; the schema repeats it."""
    from faqnas.search.objectives import OBJECTIVE_MODES

    properties = SCHEMA["properties"]
    assert properties["search"]["properties"]["objectives"]["enum"] == list(OBJECTIVE_MODES)
    assert properties["study"]["properties"]["objectives"]["items"]["enum"] == list(OBJECTIVE_MODES)


@pytest.mark.parametrize(
    "section, key, value, expected",
    [
        ("search_space", "n_qubits", [2, 11], "search_space.n_qubits[1] = 11: allowed is integer >= 2 and <= 10"),
        ("search", "crossover_prob", 1.5, "search.crossover_prob = 1.5: allowed is number >= 0 and <= 1"),
        ("search", "population", 1, "search.population = 1: allowed is integer >= 2"),
        ("search", "genomes_per_job", 0, "search.genomes_per_job = 0: allowed is one of ['auto'] or integer >= 1"),
        ("search", "genomes_per_job", "all", "search.genomes_per_job = 'all': allowed is one of ['auto'] or integer >= 1"),
        ("training", "backend", "qiskit", "training.backend = 'qiskit': allowed is one of ['simulator', 'pennylane']"),
        ("training", "epochs", "five", "training.epochs = 'five': allowed is integer >= 1"),
        ("search_space", "embedding", ["angle", "basis"], "search_space.embedding[1] = 'basis': allowed is one of ['angle', 'amplitude']"),
        ("study", "objectives", ["flops_blind"], "study.objectives[0] = 'flops_blind': allowed is one of ['flops_aware', 'flops_agnostic', 'accuracy_only']"),
        ("study", "replays", 0, "study.replays = 0: allowed is integer >= 1"),
        ("study", "alpha", 1, "study.alpha = 1: allowed is number > 0 and < 1"),
        # Data options are checked here only: the readers trust them.
        ("data", "val_fraction", 0, "data.val_fraction = 0: allowed is number > 0 and < 1"),
        ("data", "val_fraction", 1.5, "data.val_fraction = 1.5: allowed is number > 0 and < 1"),
        ("data", "val_fraction", "0.2", "data.val_fraction = '0.2': allowed is number > 0 and < 1"),
        ("data", "val_frac", 0.3, "unknown key data.val_frac"),
    ],
)
def test_bad_values_name_key_value_and_allowed(section, key, value, expected):
    config = load_config()
    config[section][key] = value
    assert expected in refused(config)


def test_unknown_keys_are_listed_with_the_allowed_ones():
    config = load_config()
    config["search"]["populaton"] = 10
    config["colour"] = "red"
    message = refused(config)
    assert "unknown key search.populaton" in message
    assert "'population'" in message
    assert "unknown key colour" in message


def test_every_problem_is_reported_at_once():
    config = load_config()
    config["search"]["mutation_prob"] = -1
    config["training"]["lr"] = 0
    message = refused(config)
    assert "search.mutation_prob = -1" in message and "training.lr = 0" in message


def test_unknown_dataset_lists_allowed_names():
    config = load_config()
    config["datasets"] = ["iris", "cifar10"]
    message = refused(config)
    assert "unknown dataset 'cifar10'" in message
    assert "'breast_cancer'" in message and "'mnist'" in message


def test_study_entries_must_name_known_datasets():
    config = load_config()
    config["study"]["seeds"] = {"irs": [1]}
    config["study"]["live"] = ["mnist", "wnie"]
    message = refused(config)
    assert "study.seeds: unknown dataset 'irs'" in message
    assert "study.live: unknown dataset 'wnie'" in message


def test_csv_dataset_becomes_a_known_name():
    config = load_config()
    config["csv_datasets"] = {"mine": {"csv": "x.csv", "label_column": "y"}}
    config["datasets"] = ["mine"]
    check_config(config, SCHEMA)


def test_results_made_with_another_search_are_refused(tmp_path):
    config = load_config()
    config["datasets"] = ["iris"]
    stored = tmp_path / "iris" / "search.json"
    stored.parent.mkdir()
    stored.write_text(json.dumps(manifest(config, "iris")))
    check_results_match(config, tmp_path)

    config["search_space"]["n_qubits"] = [2, 3]
    config["training"]["epochs"] = 3
    with pytest.raises(ConfigError) as err:
        check_results_match(config, tmp_path)
    message = str(err.value)
    assert "search_space.n_qubits" in message and "training.epochs: results have 5, config has 3" in message
    assert str(stored.parent) in message


def test_more_generations_may_continue_existing_results(tmp_path):
    config = load_config()
    stored = tmp_path / "iris" / "search.json"
    stored.parent.mkdir()
    stored.write_text(json.dumps(manifest(config, "iris")))
    config["search"]["max_generations"] = 20
    config["search"]["patience"] = 5
    check_results_match(config, tmp_path)


@pytest.mark.parametrize("bad", [0, -3, 2.5, "4", True])
def test_mnist_per_class_must_be_a_positive_integer(bad):
    config = load_config()
    config["data"]["mnist"]["per_class"] = bad
    assert f"data.mnist.per_class = {bad!r}: allowed is" in refused(config)
