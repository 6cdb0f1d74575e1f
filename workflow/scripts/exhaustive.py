from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.study.exhaustive import exhaustive

exhaustive(snakemake.input, snakemake.output[0], space=snakemake.params.space)
