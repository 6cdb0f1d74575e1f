from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.evaluation.profile import profile

profile(
    snakemake.input.genomes,
    snakemake.input.data,
    snakemake.input.published,
    snakemake.output[0],
    space=snakemake.params.space,
    store=snakemake.params.store,
)
