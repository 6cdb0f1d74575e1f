from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.reporting.report import dataset_report

dataset_report(
    snakemake.input.summary,
    snakemake.input.pareto,
    snakemake.input.progress,
    snakemake.input.final,
    snakemake.output[0],
)
