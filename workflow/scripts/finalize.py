from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.search.finalize import finalize

finalize(
    snakemake.input.records,
    snakemake.input.populations,
    snakemake.input.statuses,
    snakemake.input.stopping_rule,
    snakemake.output,
    space=snakemake.params.space,
    dataset=snakemake.params.dataset,
    top_k=snakemake.params.top_k,
)
