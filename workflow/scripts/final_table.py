from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.final.table import final_table

final_table(
    snakemake.input.records,
    snakemake.input.compromise,
    snakemake.output.table,
    snakemake.output.summary,
)
