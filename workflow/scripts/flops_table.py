from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.evaluation.flops_table import flops_table

flops_table(snakemake.input, snakemake.output[0], space=snakemake.params.space)
