from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.search.propose import propose

propose(
    snakemake.input.previous,
    snakemake.output.genomes,
    space=snakemake.params.space,
    search=snakemake.params.search,
    run_seed=snakemake.params.seed,
    dataset=snakemake.params.dataset,
    generation=int(snakemake.wildcards.g),
)
