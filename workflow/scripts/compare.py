import json
import sys

from faqnas.joblog import log_to

log_to(snakemake.log[0])

import pandas as pd

from faqnas.plots import study_fronts, study_hypervolume
from faqnas.records import write_json
from faqnas.study import compare_searches, plane_front

dataset = snakemake.wildcards.ds
runs = snakemake.params.runs
tables = [pd.read_csv(path, sep="\t") for path in snakemake.input.searches]
exhaustive = pd.read_csv(snakemake.input.exhaustive[0], sep="\t") if snakemake.input.exhaustive else None
searches, progress, claims = compare_searches(dataset, runs, tables, exhaustive)

searches.to_csv(snakemake.output.searches, sep="\t", index=False)
progress.to_csv(snakemake.output.progress, sep="\t", index=False)
write_json(snakemake.output.claims, claims)
study_fronts(
    [(f"{r['objectives']}, seed {r['seed']}", r["objectives"], plane_front(t)) for r, t in zip(runs, tables)],
    exhaustive,
    snakemake.output.fronts,
    f"{dataset}: front of each search in the (F_Q, accuracy) plane",
)
study_hypervolume(
    progress,
    claims.get("exhaustive", {}).get("true_hypervolume"),
    snakemake.output.hypervolume,
    f"{dataset}: hypervolume of the genomes evaluated so far",
)
print(searches.to_string(), file=sys.stderr)
print(json.dumps(claims["plateau"]), file=sys.stderr)
