"""Where the searches of a study live, and which searches a study makes."""

import pytest

from conftest import load_config
from faqnas.pipeline.runs import Primary, Run, parse_search_folder, search_folder, study_runs

PRIMARY = Primary("flops_aware", 2025)


def test_the_configured_search_keeps_the_dataset_folder():
    assert search_folder(Run("iris", "flops_aware", 2025), PRIMARY) == "iris"
    assert parse_search_folder("iris", PRIMARY) == Run("iris", "flops_aware", 2025)


@pytest.mark.parametrize("run", [Run("wine", "flops_agnostic", 2025), Run("wine", "flops_aware", 3)])
def test_other_searches_get_their_own_folder_and_parse_back(run):
    folder = search_folder(run, PRIMARY)
    assert folder.startswith("wine/runs/")
    assert parse_search_folder(folder, PRIMARY) == run


def test_a_folder_that_names_no_search_is_refused():
    with pytest.raises(ValueError, match="not a search folder"):
        parse_search_folder("iris/exhaustive", PRIMARY)


def test_a_study_searches_each_objective_with_the_run_seed_first_and_no_seed_twice():
    config = load_config()
    config["study"]["seeds"] = {"iris": [5, config["seed"], 6]}
    runs = study_runs(config, "iris")
    assert [(r.objectives, r.seed) for r in runs] == [
        (o, s) for o in ("flops_aware", "flops_agnostic") for s in (config["seed"], 5, 6)
    ]
    assert [r.seed for r in study_runs(config, "digits")] == [config["seed"]] * 2
