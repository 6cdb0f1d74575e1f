"""Against the real pipeline on the tiny config: the FLOPs table fills the
store once per circuit."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from faqnas.search.space import SearchSpace

from conftest import TINY, load_config, run_search

pytestmark = pytest.mark.pipeline

CONFIG = load_config(TINY)
SPACE = SearchSpace(CONFIG["search_space"])
SEED = CONFIG["seed"]


@pytest.fixture(scope="module")
def built(finished, tmp_path_factory) -> Path:
    """The finished tiny search with the FLOPs table beside it."""
    workdir = tmp_path_factory.mktemp("replay")
    shutil.copytree(finished, workdir, dirs_exist_ok=True)
    override = workdir / "tables.yaml"
    override.write_text(f"tables: {{datasets: [iris], seeds: [{SEED}], parts: 2}}\n")
    # Targets after "--": --configfile takes several values, and a second
    # --configfile replaces the first's (run_search's) list, targets included.
    run_search(workdir, "--configfile", str(TINY), str(override),
               "--", "flops_table")
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

