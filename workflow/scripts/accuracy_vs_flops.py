from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.reporting.figures import accuracy_vs_flops

accuracy_vs_flops(
    snakemake.input.records,
    snakemake.input.pareto,
    snakemake.output,
    space=snakemake.params.space,
    title=snakemake.wildcards.search,
)
