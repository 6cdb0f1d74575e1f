from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.reporting.figures import hypervolume

hypervolume(snakemake.input.progress, snakemake.output[0])
