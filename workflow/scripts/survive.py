from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.search.survive import survive

survive(
    snakemake.input.records,
    snakemake.input.previous,
    snakemake.input.previous_status,
    snakemake.output.population,
    snakemake.output.status,
    space=snakemake.params.space,
    search=snakemake.params.search,
    generation=int(snakemake.wildcards.g),
)
