"""A search's files made without training: made-up accuracies, real NSGA-II.

Fast stand-ins for the start-up check's tests and benchmark
(bench/bench_consistency.py): every file is what the pipeline would write for
such training results, so the tree passes faqnas.consistency's checks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from faqnas.pipeline.config import EXTENDABLE
from faqnas.pipeline.consistency import _pareto
from faqnas.search.propose import propose_genomes as propose
from faqnas.search.survive import select_survivors as survive
from faqnas.search.stopping import StoppingRule
from faqnas.records import genome_entry, write_json
from faqnas.search.objectives import objectives
from faqnas.evaluation.reuse import EvaluationKey, evaluation_of, store_folder
from faqnas.search.seeds import derive_seed
from faqnas.search.space import SearchSpace


def made_up_record(entry: dict, rng, seed: int, training: dict) -> dict:
    """A record as evaluate writes it, with a random accuracy and FLOPs."""
    accuracy = float(rng.integers(0, 31)) / 30
    classical = int(rng.integers(100, 1000))
    quantum = int(rng.integers(0, 100000))
    record = {
        **entry,
        "seed": seed,
        "training": {
            "backend": training["backend"], "dtype": training["dtype"], "epochs": training["epochs"],
            "lr": training["lr"], "batch_size": training["batch_size"],
            "accuracy_per_epoch": [accuracy], "loss_per_epoch": [1.0],
            "best_accuracy": accuracy, "best_epoch": 1, "diverged": False,
        },
        "accuracy": accuracy,
        "flops": {"total": classical + quantum, "classical": classical, "quantum": quantum,
                  "quantum_analytic": quantum},
        "params": {"total": 50, "classical": 40, "quantum": 10},
        "wall_time_s": {"train": 1.0, "profile": 0.5},
        "timestamps": {"started": 1.0, "finished": 2.0},
        "versions": {"faqnas": "0.1.0"},
    }  # fmt: skip
    record["objectives"] = objectives(record, "flops_aware")
    return record


def build_tree(results: Path, config: dict, store: bool = True) -> int:
    """Write the finished configured searches of ``config`` below ``results``.

    Returns:
        The number of records written.
    """
    space = SearchSpace(config["search_space"])
    search = {k: v for k, v in config["search"].items() if k not in EXTENDABLE["search"]}
    training, n = config["training"], 0
    rng = np.random.default_rng(0)
    rule = {"max_generations": config["search"]["max_generations"], "patience": config["search"]["patience"]}
    for ds in config["datasets"]:
        folder = results / ds
        sha = f"{sum(map(ord, ds)):064x}"
        write_json(folder / "data.json", {"sha256": sha})
        write_json(folder / "stopping_rule.json", rule)
        previous = status = None
        evaluated = []
        for g in range(rule["max_generations"] + 1):
            gen = folder / f"gen{g}"
            records, flops = [], []
            for i, genome in enumerate(propose(space, search, config["seed"], ds, g, previous)):
                entry = genome_entry(genome, ds, g, i)
                write_json(gen / "genomes" / f"{i}.json", entry)
                seed = derive_seed(config["seed"], ds, genome.phenotype_key)
                record = made_up_record(entry, rng, seed, training)
                flops.append({"phenotype_key": genome.phenotype_key, "flops": record["flops"], "profile_s": 0.5})
                write_json(gen / "records" / f"{i}.json", record)
                if store:
                    key = EvaluationKey(genome.phenotype_key, sha, seed, training)
                    write_json(key.path(store_folder(results, ds)), evaluation_of(record, key))
                records.append(record)
            write_json(gen / "flops.json", flops)
            previous, status = survive(records, previous, status, g, search)
            write_json(gen / "population.json", previous)
            write_json(gen / "status.json", status)
            evaluated += records
            n += len(records)
            if StoppingRule(rule["max_generations"], rule["patience"]).decide(g, status["stagnation"])[0]:
                break
        write_json(folder / "pareto.json", _pareto(evaluated))
        for name in ("pareto.tsv", "top_k.tsv", "compromise.json", "evaluations.tsv", "progress.tsv",
                     "summary.json", "report.md", "figures/hypervolume.png"):  # fmt: skip
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text("x\n")
    return n
