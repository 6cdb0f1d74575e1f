from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.reporting.summary import summary

summary(
    snakemake.input.searches,
    snakemake.input.final,
    snakemake.output.table,
    snakemake.output.figure,
)
