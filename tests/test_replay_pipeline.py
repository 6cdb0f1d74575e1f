"""Against the real pipeline on the tiny config: the FLOPs table fills the
store once per circuit, and a search replayed on the tabular benchmark is the
live search, evaluation by evaluation."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from faqnas.evaluation.flops_store import read_entries
from faqnas.replay import replay_search
from faqnas.search.objectives import ACCURACY_ONLY, FLOPS_AWARE
from faqnas.search.space import SearchSpace
from faqnas.tables import load

from conftest import TINY, load_config, run_search

pytestmark = pytest.mark.pipeline

CONFIG = load_config(TINY)
SPACE = SearchSpace(CONFIG["search_space"])
SEED = CONFIG["seed"]
# A second live search, in the mode only replays had been checked in before.
ACCURACY_RUN = f"iris/runs/{ACCURACY_ONLY}-seed{SEED}"


@pytest.fixture(scope="module")
def built(finished, tmp_path_factory) -> Path:
    """The finished tiny search with its table, the FLOPs table and an
    accuracy-only search beside it."""
    workdir = tmp_path_factory.mktemp("replay")
    shutil.copytree(finished, workdir, dirs_exist_ok=True)
    override = workdir / "tables.yaml"
    override.write_text(f"tables: {{datasets: [iris], seeds: [{SEED}], parts: 2}}\n")
    # Targets after "--": --configfile takes several values, and a second
    # --configfile replaces the first's (run_search's) list, targets included.
    run_search(workdir, "--configfile", str(TINY), str(override), "--", "tables", "flops_table")
    # Only after the FLOPs table: run in the same invocation, this search could
    # fill the store first and the count of circuits profiled by the table
    # would depend on job order.
    run_search(workdir, "--configfile", str(TINY), str(override),
               "--", f"results/{ACCURACY_RUN}/pareto.json")
    return workdir


def live_records(workdir: Path, search: str) -> list[dict]:
    folder = workdir / "results" / search
    paths = sorted(folder.glob("gen*/records/*.json"),
                   key=lambda p: (int(p.parent.parent.name[3:]), int(p.stem)))
    return [json.loads(p.read_text()) for p in paths]


def test_the_flops_table_covers_the_space_once_per_circuit(built):
    table = pd.read_csv(built / "docs" / "tables" / "flops.tsv.gz", sep="\t",
                        dtype={"torch": str, "pennylane": str})
    assert sorted(table["phenotype_key"]) == sorted(g.phenotype_key for g in SPACE.phenotypes())
    assert len(table[["torch", "pennylane"]].drop_duplicates()) == 1
    rows = table.set_index("phenotype_key")
    records = live_records(built, "iris")
    for record in records:
        row = rows.loc[record["phenotype_key"]]
        assert row["F_Q"] == record["flops"]["quantum"]
        assert row["F_Q_analytic"] == record["flops"]["quantum_analytic"]
        assert row["quantum_params"] == record["params"]["quantum"]
    # The circuits the live search profiled were not profiled again.
    logs = [(built / "results" / "tables" / "flops" / "logs" / f"part{c}.log").read_text()
            for c in range(2)]
    profiled = sum(int(re.search(r"(\d+) profiled", log).group(1)) for log in logs)
    assert profiled == SPACE.n_phenotypes() - len({r["phenotype_key"] for r in records})


@pytest.mark.parametrize("search, mode", [("iris", FLOPS_AWARE), (ACCURACY_RUN, ACCURACY_ONLY)])
def test_a_replayed_search_is_the_live_search(built, search, mode):
    table = load("iris", built / "docs" / "tables")
    flops = read_entries(built / "results" / "flops", (g.phenotype_key for g in SPACE.phenotypes()))
    start = time.perf_counter()
    replayed = replay_search(table, flops, SPACE, CONFIG["search"], SEED, "iris", mode)
    seconds = time.perf_counter() - start
    print(f"{search}: replayed {len(replayed.evaluations)} evaluations in {seconds:.3f} s")

    live = live_records(built, search)
    lengths = {len(r["objectives"]) for r in [*live, *replayed.evaluations]}
    assert live and len(lengths) == 1
    fields = ("generation", "index", "phenotype_key", "genes", "objectives")
    assert [{k: r[k] for k in fields} for r in replayed.evaluations] == [
        {k: r[k] for k in fields} for r in live]
    folder = built / "results" / search
    pareto = json.loads((folder / "pareto.json").read_text())
    assert [(r["phenotype_key"], r["objectives"]) for r in replayed.pareto] == [
        (r["phenotype_key"], r["objectives"]) for r in pareto]
    summary = json.loads((folder / "summary.json").read_text())
    assert (replayed.generations, replayed.stop_reason) == (
        summary["generations"], summary["stop_reason"])
