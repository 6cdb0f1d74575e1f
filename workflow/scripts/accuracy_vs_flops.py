from faqnas.joblog import log_to

log_to(snakemake.log[0])

from faqnas.plots import accuracy_vs_flops
from faqnas.records import read_json, read_record
from faqnas.space import SearchSpace

space = SearchSpace(snakemake.params.space)
records = [read_record(path, space) for path in snakemake.input.records]
pareto_keys = [r["phenotype_key"] for r in read_json(snakemake.input.pareto)]
title = f"{snakemake.wildcards.search}: {len(records)} evaluated genomes"
for path in snakemake.output:
    accuracy_vs_flops(records, pareto_keys, path, title)
