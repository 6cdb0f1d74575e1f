from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.search.stopping import stopping_rule

stopping_rule(
    snakemake.output[0],
    max_generations=snakemake.params.max_generations,
    patience=snakemake.params.patience,
)
