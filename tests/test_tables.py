"""Tabular benchmarks hold exactly what a live search trains."""

from __future__ import annotations

import json
import shutil

import pytest

from faqnas.search.space import SearchSpace
from faqnas.tables import describe, load

from conftest import TINY, load_config, run_search

CONFIG = load_config(TINY)


@pytest.mark.pipeline
def test_a_table_holds_what_the_live_search_trained(finished, tmp_path):
    shutil.copytree(finished, tmp_path, dirs_exist_ok=True)
    seed = CONFIG["seed"]
    override = tmp_path / "tables.yaml"
    override.write_text(f"tables: {{datasets: [iris], seeds: [{seed}, 3], parts: 3}}\n")
    # The target after "--": a second --configfile replaces the list of the
    # first (run_search's), which would swallow a target put before it.
    run_search(tmp_path, "--configfile", str(TINY), str(override), "--", "tables")
    table = load("iris", tmp_path / "docs" / "tables")
    space = SearchSpace(CONFIG["search_space"])
    assert len(table) == 2 * space.n_phenotypes()
    assert sorted(table["seed"].unique()) == [3, seed]
    described = json.loads((tmp_path / "docs" / "tables" / "iris.json").read_text())
    assert described["seeds"] == [seed, 3] and described["split"]["n_test"] > 0
    # The data's shape, for the classical FLOPs of a row (4·d·n + 6·n·C).
    assert (described["n_features"], described["n_classes"]) == (4, 3)
    assert describe("iris", tmp_path / "docs" / "tables") == described
    rows = table[table["seed"] == seed].set_index("phenotype_key")
    records = [json.loads(p.read_text()) for p in tmp_path.glob("results/iris/gen*/records/*.json")]
    assert records
    for record in records:
        row = rows.loc[record["phenotype_key"]]
        assert row["training_seed"] == record["seed"]
        assert row["val_accuracy_per_epoch"] == record["training"]["accuracy_per_epoch"]
        assert row["val_accuracy"] == record["accuracy"]
        assert row["params"] == record["params"]["total"]
        assert row["test_accuracy"] == row["test_accuracy_per_epoch"][row["best_epoch"] - 1]


def test_load_names_the_tables_there_are(tmp_path):
    (tmp_path / "wine.tsv.gz").write_bytes(b"")
    (tmp_path / "flops.tsv.gz").write_bytes(b"")  # the FLOPs table is no dataset's
    with pytest.raises(FileNotFoundError, match=r"no table .*iris.tsv.gz.*\['wine'\]"):
        load("iris", tmp_path)
