from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.study.compare import compare

compare(
    snakemake.input.searches,
    snakemake.input.exhaustive,
    snakemake.output,
    dataset=snakemake.wildcards.dataset,
    runs=snakemake.params.runs,
)
