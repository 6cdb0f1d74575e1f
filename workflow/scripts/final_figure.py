from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.final.figure import final_figure

final_figure(
    snakemake.input.table,
    snakemake.input.summary,
    snakemake.output[0],
    dataset=snakemake.wildcards.dataset,
)
