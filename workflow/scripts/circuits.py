from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.reporting.figures import circuits

circuits(snakemake.input.summary, snakemake.input.compromise, snakemake.output[0])
