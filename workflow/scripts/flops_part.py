from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.evaluation.flops_table import flops_part

flops_part(
    snakemake.output[0],
    part=int(snakemake.wildcards.c),
    parts=snakemake.params.parts,
    space=snakemake.params.space,
    store=snakemake.params.store,
)
