from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.study.replays import replays

replays(
    snakemake.input.table,
    snakemake.input.description,
    snakemake.input.flops,
    snakemake.output[0],
    dataset=snakemake.wildcards.dataset,
    space=snakemake.params.space,
    search=snakemake.params.search,
    seeds=snakemake.params.seeds,
    budgets=snakemake.params.budgets,
)
