from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.study.claims import claims

claims(
    snakemake.input.evaluations,
    snakemake.input.description,
    snakemake.input.flops,
    snakemake.input.table,
    snakemake.output,
    dataset=snakemake.wildcards.dataset,
    budgets=snakemake.params.budgets,
    alpha=snakemake.params.alpha,
    resamples=snakemake.params.resamples,
)
