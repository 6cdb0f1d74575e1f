from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.study.live import live_table

live_table(
    snakemake.input.searches,
    snakemake.input.data,
    snakemake.output.table,
    snakemake.output.description,
    dataset=snakemake.wildcards.dataset,
    runs=snakemake.params.runs,
    checkout=snakemake.scriptdir,
)
